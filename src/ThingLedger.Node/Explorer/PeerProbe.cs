using ThingLedger.Client;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Explorer;

/// <summary>Asks every peer of a consortium for its finality view, each within a short time limit.</summary>
public static class PeerProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>One row per peer: its URL and its view, or the reason it did not answer.</summary>
    public static async Task<List<(Uri Peer, FinalityView? View, string? Problem)>> AskAsync(IReadOnlyList<Uri> peers, CancellationToken cancellationToken)
    {
        var asks = peers.Select(async peer =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer, "v1/finality"));
                using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                var view = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, ClientJsonContext.Default.FinalityView, cancellationToken).ConfigureAwait(false);
                return (peer, view, view is null ? "empty answer" : null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                return (peer, (FinalityView?)null, (string?)(e is TaskCanceledException ? "no answer within 2 s" : e.Message));
            }
        });
        return [.. await Task.WhenAll(asks).ConfigureAwait(false)];
    }
}
