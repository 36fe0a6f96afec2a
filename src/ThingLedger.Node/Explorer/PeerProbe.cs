using ThingLedger.Client;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Explorer;

/// <summary>Asks every peer of a consortium for its finality view (the SDK's GET /v1/finality), each within a short time limit.</summary>
public static class PeerProbe
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    /// <summary>Connections are pooled across requests; each ask gets a client with the peer's address.</summary>
    private static readonly HttpMessageHandler Connections = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };

    /// <summary>One row per peer: its URL and its view, or the reason it did not answer.</summary>
    public static async Task<List<(Uri Peer, FinalityView? View, string? Problem)>> AskAsync(IReadOnlyList<Uri> peers, CancellationToken cancellationToken)
    {
        var asks = peers.Select(async peer =>
        {
            using var http = new HttpClient(Connections, disposeHandler: false) { BaseAddress = peer, Timeout = Limit };
            using var client = new ThingLedgerClient(http);
            try
            {
                return (peer, await client.GetFinalityAsync(cancellationToken).ConfigureAwait(false), (string?)null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ThingLedgerException or System.Text.Json.JsonException)
            {
                return (peer, (FinalityView?)null, (string?)(e is TaskCanceledException ? $"no answer within {Limit.TotalSeconds:0} s" : e.Message));
            }
        });
        return [.. await Task.WhenAll(asks).ConfigureAwait(false)];
    }
}
