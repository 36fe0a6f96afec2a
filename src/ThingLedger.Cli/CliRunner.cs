using System.Security.Cryptography;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Storage;

namespace ThingLedger.Cli;

/// <summary>
/// Runs a command body and turns expected failures into one clear line and an exit code:
/// 1 refused by the node or failed verification, 2 bad input, 3 node unreachable, 4 storage.
/// </summary>
internal static class CliRunner
{
    public const int Refused = 1;
    public const int BadInput = 2;
    public const int Unreachable = 3;
    public const int StorageFailure = 4;

    /// <summary>Stopped by Ctrl+C or SIGTERM before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// A token for a command that runs a node in this process: cancelled by the command's own token
    /// or when the node's host is told to stop. The host takes Ctrl+C and SIGTERM for itself (it asks
    /// the application to stop), so a command that only watched its own token would never see them.
    /// </summary>
    public static CancellationTokenSource UntilStopped(WebApplication app, CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ThingLedgerException e)
        {
            Error($"{e.Code}: {e.Message}");
            return Refused;
        }
        catch (ProofException e)
        {
            Error(e.Message);
            return Refused;
        }
        catch (HttpRequestException e)
        {
            Error($"cannot reach the node: {e.Message} (is `thingledger node run` running? use --node URL)");
            return Unreachable;
        }
        catch (StorageException e)
        {
            Error(e.Message);
            return StorageFailure;
        }
        catch (OperationCanceledException e) when (e.InnerException is not TimeoutException)
        {
            Error("stopped before it finished");
            return Interrupted;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IOException or CryptographicException or UnauthorizedAccessException)
        {
            Error(e.Message);
            return BadInput;
        }
    }

    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");

    /// <summary>
    /// "✓ message" on one line: the message is written as it is, never wrapped by the console
    /// library, so an id in it stays whole in a pipe, a file or a narrow terminal.
    /// </summary>
    public static void Success(string message)
    {
        AnsiConsole.Markup("[green]✓[/] ");
        Console.WriteLine(message);
    }
}
