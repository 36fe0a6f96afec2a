using Microsoft.AspNetCore.Http;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Tests;

public sealed class PooledBodyTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(16 * 1024, false)]
    [InlineData(16 * 1024, true)]
    [InlineData(300_001, false)]
    [InlineData(300_001, true)]
    public async Task A_body_is_read_whole_whether_or_not_its_length_is_declared(int size, bool declared)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = declared ? size : null;

        using var body = await PooledBody.ReadAsync(context.Request, CancellationToken.None);

        Assert.Equal(size, body.Length);
        Assert.True(body.Span.SequenceEqual(bytes));
    }
}
