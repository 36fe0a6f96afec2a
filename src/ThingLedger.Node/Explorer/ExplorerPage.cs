using Microsoft.AspNetCore.Components;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Explorer;

/// <summary>The base of explorer pages: the ledger, and the HTTP status a page answers with when what it shows does not exist.</summary>
public abstract class ExplorerPage : ComponentBase
{
    /// <summary>Rows per page in the explorer's lists.</summary>
    public const int PageSize = 25;

    [Inject]
    protected LedgerNode Ledger { get; set; } = default!;

    [CascadingParameter]
    protected HttpContext? HttpContext { get; set; }

    /// <summary>A problem to show instead of the page (not found, or a malformed parameter).</summary>
    protected string? Problem { get; private set; }

    /// <summary>Reads an optional "height-index" cursor; a malformed one makes the page a 400 and returns false.</summary>
    protected bool TryCursor(string? text, out TxPosition? position)
    {
        position = null;
        if (text is null)
        {
            return true;
        }
        if (!TxPosition.TryParse(text, out var parsed))
        {
            BadRequest($"'{text}' is not a position in the chain (height-index, e.g. 120-3).");
            return false;
        }
        position = parsed;
        return true;
    }

    protected void NotFound(string problem) => Fail(StatusCodes.Status404NotFound, problem);

    protected void BadRequest(string problem) => Fail(StatusCodes.Status400BadRequest, problem);

    private void Fail(int status, string problem)
    {
        Problem = problem;
        if (HttpContext is { Response.HasStarted: false } context)
        {
            // Set as the headers go out: a 404 set during rendering makes the component renderer
            // skip the page body (it expects the status-code-pages middleware to re-execute).
            context.Response.OnStarting(() =>
            {
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            });
        }
    }
}
