namespace ThingLedger.Node.Api;

/// <summary>
/// What the node says about refused requests: one line each at Debug, and at most
/// <see cref="LinesPerSecond"/> lines a second. Bad input is the client's problem, not the node's:
/// it must not cost the node disk or bury its own messages, so no stack trace is written for it
/// (those are for faults). Lines left out are counted and the count is given in the next line.
/// </summary>
public sealed partial class BadInputLog(ILogger<BadInputLog> logger, TimeProvider clock)
{
    public const int LinesPerSecond = 10;

    private readonly object _lock = new();
    private long _second = -1;
    private int _written;
    private int _dropped;

    public void Refused(HttpRequest request, int status, string code, string detail)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }
        int dropped;
        lock (_lock)
        {
            var second = clock.GetUtcNow().ToUnixTimeSeconds();
            if (second != _second)
            {
                _second = second;
                _written = 0;
            }
            if (_written == LinesPerSecond)
            {
                _dropped++;
                return;
            }
            _written++;
            dropped = _dropped;
            _dropped = 0;
        }
        LogRefused(request.Method, request.Path.Value ?? string.Empty, status, code, Shorten(detail), dropped);
    }

    private static string Shorten(string detail) => detail.Length <= 200 ? detail : string.Concat(detail.AsSpan(0, 200), "…");

    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Refused {Method} {Path}: {Status} {Code} {Detail} ({Dropped} refusals not logged since the last line)")]
    private partial void LogRefused(string method, string path, int status, string code, string detail, int dropped);
}
