namespace ThingLedger.Node.Api;

/// <summary>What every Server-Sent Events stream of the node writes (the node's block stream, a module's event stream).</summary>
public static class ServerSentEvents
{
    /// <summary>Marks the response as an event stream that no cache or proxy buffers, and sends its headers at once (a client sees the stream open before any event).</summary>
    public static async Task BeginAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One event: its id, its name and its data (one line of JSON), then flushed.</summary>
    public static async Task WriteAsync(HttpResponse response, ulong id, string name, string data, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"id: {id}\nevent: {name}\ndata: {data}\n\n", cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
