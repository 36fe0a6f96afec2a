using System.Buffers;

namespace ThingLedger.Node.Api;

/// <summary>
/// A request body read whole into a buffer rented from the shared pool, and given back on
/// dispose. An upload of a few thousand readings is a few hundred KiB: read through a growing
/// <see cref="MemoryStream"/> and copied out, each one cost several large-object-heap arrays,
/// and those are what made the collector run its full collections under load.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private const int UnknownLengthStart = 16 * 1024;
    private byte[]? _buffer;

    private PooledBody(byte[] buffer) => _buffer = buffer;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>Reads the body to its end (the server's size limit applies while reading).</summary>
    public static async Task<PooledBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 0;
        var body = new PooledBody(ArrayPool<byte>.Shared.Rent(declared > 0 ? declared : UnknownLengthStart));
        try
        {
            while (true)
            {
                if (body.Length == body._buffer!.Length)
                {
                    body.Grow();
                }
                int read;
                try
                {
                    read = await request.Body.ReadAsync(body._buffer.AsMemory(body.Length), cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e) when (e is not BadHttpRequestException)
                {
                    // Kestrel reports some framing errors of the body this way (a chunk size that
                    // overflows, for one): the client sent a body that cannot be read, which is bad
                    // input (400), not a fault of the node.
                    throw new BadHttpRequestException($"the request body could not be read: {e.Message}", StatusCodes.Status400BadRequest, e);
                }
                if (read == 0)
                {
                    return body;
                }
                body.Length += read;
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private void Grow()
    {
        var larger = ArrayPool<byte>.Shared.Rent(checked(_buffer!.Length * 2));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
