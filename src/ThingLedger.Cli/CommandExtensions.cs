using System.CommandLine;

namespace ThingLedger.Cli;

internal static class CommandExtensions
{
    /// <summary>Binds a command body that gets the parse result and a context, with uniform error handling.</summary>
    public static Command Runs(this Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> body)
    {
        command.SetAction((parse, cancellationToken) => CliRunner.RunAsync(async () =>
        {
            using var context = new CliContext(parse);
            return await body(parse, context, cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>Adds options and arguments in one call.</summary>
    public static Command With(this Command command, params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Command sub:
                    command.Subcommands.Add(sub);
                    break;
                default:
                    throw new ArgumentException($"cannot add {symbol.GetType().Name}");
            }
        }
        return command;
    }
}
