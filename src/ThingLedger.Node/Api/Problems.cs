using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Core;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Api;

/// <summary>RFC 9457 problem details carrying a stable error code in the "code" member.</summary>
internal static class Problems
{
    public static ProblemHttpResult Of(string code, string detail, string? id = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (id is not null)
        {
            extensions["id"] = id;
        }
        return TypedResults.Problem(detail: detail, statusCode: StatusFor(code), title: code, extensions: extensions);
    }

    public static ProblemHttpResult NotFound(string detail) => Of(ErrorCodes.NotFound, detail);

    public static ProblemHttpResult BadRequest(string detail) => Of(ErrorCodes.BadRequest, detail);

    /// <summary>A list's page size: 50 unless asked, at most <see cref="ChainApi.MaxPage"/>.</summary>
    public static int Limit(int? limit) => Math.Clamp(limit ?? 50, 1, ChainApi.MaxPage);

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.TxTooLarge or ErrorCodes.BatchTooLarge or ErrorCodes.RequestTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.NonceReused or ErrorCodes.NonceGap or ErrorCodes.TxDuplicate or TelemetryErrors.ReadingNotAnchored => StatusCodes.Status409Conflict,
        ErrorCodes.SignatureInvalid or ErrorCodes.SignatureHighS => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.MempoolFull or ErrorCodes.NodeUnavailable or ErrorCodes.OrderingUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.SignerPendingLimit => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unauthorised or TelemetryErrors.HistoricNotAuthorised => StatusCodes.Status403Forbidden,
        ErrorCodes.Timeout => StatusCodes.Status408RequestTimeout,
        ErrorCodes.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>The code for a status produced outside our handlers (routing, Kestrel limits).</summary>
    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => ErrorCodes.NotFound,
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.RequestTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMediaType,
        StatusCodes.Status408RequestTimeout => ErrorCodes.Timeout,
        StatusCodes.Status503ServiceUnavailable => ErrorCodes.NodeUnavailable,
        >= 500 => ErrorCodes.Internal,
        _ => ErrorCodes.BadRequest,
    };
}
