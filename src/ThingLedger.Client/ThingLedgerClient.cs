using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;

namespace ThingLedger.Client;

/// <summary>
/// The SDK's view of a node: submit signed txs, wait for commit, query, and fetch proofs that
/// are verified here, against a genesis document the caller trusts, not against the node.
/// </summary>
public sealed partial class ThingLedgerClient : IDisposable
{
    private static readonly ClientJsonContext Json = ClientJsonContext.Default;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public ThingLedgerClient(HttpClient http)
    {
        _http = http;
    }

    public ThingLedgerClient(string baseUrl)
        : this(new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) }) => _ownsHttp = true;

    public Uri? BaseAddress => _http.BaseAddress;

    /// <summary>Submits txs as one batch. Per-tx rejections are in the results, not exceptions.</summary>
    public async Task<SubmitResponse> SubmitAsync(IReadOnlyList<Transaction> txs, bool wait = false, int? timeoutMs = null, CancellationToken cancellationToken = default)
    {
        var hexes = new List<string>(txs.Count);
        foreach (var tx in txs)
        {
            hexes.Add(Convert.ToHexStringLower(tx.Encode()));
        }
        return await PostTxsAsync(new SubmitRequest(null, hexes), wait, timeoutMs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Submits <paramref name="txs"/> in order, in batches of at most <paramref name="batchSize"/>, each
    /// waiting for its block; throws at the first tx that is not committed, naming <paramref name="what"/>.
    /// For set-up work (registering fleets, funding accounts) where anything short of success is an error.
    /// </summary>
    public async Task SubmitAllCommittedAsync(IReadOnlyList<Transaction> txs, string what, int batchSize = 2_000, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in txs.Chunk(batchSize))
        {
            var response = await SubmitAsync(chunk, wait: true, timeoutMs: 60_000, cancellationToken).ConfigureAwait(false);
            if (response.Results.FirstOrDefault(r => r.Status != TxState.Committed) is { } failed)
            {
                throw new InvalidOperationException($"{what} failed: tx {failed.Index} of a batch is {failed.Status.Text()} {failed.Code} {failed.Message}".TrimEnd());
            }
        }
    }

    /// <summary>Submits one tx; throws <see cref="ThingLedgerException"/> with the code when it is refused.</summary>
    public async Task<TxResultView> SubmitAsync(Transaction tx, bool wait = false, int? timeoutMs = null, CancellationToken cancellationToken = default)
    {
        var response = await PostTxsAsync(new SubmitRequest(Convert.ToHexStringLower(tx.Encode()), null), wait, timeoutMs, cancellationToken).ConfigureAwait(false);
        return response.Results[0];
    }

    /// <summary>Submits pre-encoded hex txs (benchmarks and tools that built them elsewhere).</summary>
    public Task<SubmitResponse> SubmitEncodedAsync(List<string> hexes, bool wait = false, int? timeoutMs = null, CancellationToken cancellationToken = default) =>
        PostTxsAsync(new SubmitRequest(null, hexes), wait, timeoutMs, cancellationToken);

    private async Task<SubmitResponse> PostTxsAsync(SubmitRequest request, bool wait, int? timeoutMs, CancellationToken cancellationToken)
    {
        var query = wait ? $"v1/txs?wait=true&timeoutMs={(timeoutMs ?? 10_000).ToString(CultureInfo.InvariantCulture)}" : "v1/txs";
        using var response = await _http.PostAsJsonAsync(query, request, Json.SubmitRequest, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, Json.SubmitResponse, cancellationToken).ConfigureAwait(false);
    }

    public Task<TxView?> GetTxAsync(Hash id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/txs/{id}", Json.TxView, cancellationToken);

    /// <summary>Waits for a commit; the view's status stays "pending" if the timeout passes first.</summary>
    public Task<TxView> WaitAsync(Hash id, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/txs/{id}/wait?timeoutMs={(int)timeout.TotalMilliseconds}", Json.TxView, cancellationToken);

    public Task<ProofDocument> GetTxProofAsync(Hash id, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/txs/{id}/proof", Json.ProofDocument, cancellationToken);

    public Task<StateEntryView> GetStateAsync(string key, bool proof, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/state/{key}?proof={(proof ? "true" : "false")}", Json.StateEntryView, cancellationToken);

    /// <summary>
    /// A key's value (null when absent), accepted only if its proof checks out against
    /// <paramref name="trustedGenesis"/>; otherwise throws with the broken link.
    /// </summary>
    public async Task<byte[]?> GetVerifiedStateAsync(string key, Genesis trustedGenesis, CancellationToken cancellationToken = default)
    {
        var entry = await GetStateAsync(key, proof: true, cancellationToken).ConfigureAwait(false);
        var document = entry.Proof ?? throw new InvalidOperationException("the node sent no proof");
        if (document.Key != key)
        {
            throw new ProofException(VerificationResult.Broken("document", $"asked for '{key}', the proof is for '{document.Key}'"));
        }
        var result = document.Verify(trustedGenesis);
        return result.Ok ? (document.Value is null ? null : Convert.FromHexString(document.Value)) : throw new ProofException(result);
    }

    /// <summary>Fetches a committed tx's proof and verifies it against <paramref name="trustedGenesis"/>.</summary>
    public async Task<VerificationResult> VerifyTxAsync(Hash id, Genesis trustedGenesis, CancellationToken cancellationToken = default)
    {
        var document = await GetTxProofAsync(id, cancellationToken).ConfigureAwait(false);
        return document.Verify(trustedGenesis);
    }

    public async Task<ulong> GetNextNonceAsync(Address address, CancellationToken cancellationToken = default) =>
        (await GetAccountAsync(address, cancellationToken).ConfigureAwait(false)).Nonce;

    public Task<AccountView> GetAccountAsync(Address address, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/accounts/{address}", Json.AccountView, cancellationToken);

    public Task<StatusView> GetStatusAsync(CancellationToken cancellationToken = default) => GetAsync("v1/status", Json.StatusView, cancellationToken);

    /// <summary>The peer's head, highest final block, finality lag and health (GET /v1/finality).</summary>
    public Task<FinalityView> GetFinalityAsync(CancellationToken cancellationToken = default) => GetAsync("v1/finality", Json.FinalityView, cancellationToken);

    public Task<BlockView> GetHeadAsync(CancellationToken cancellationToken = default) => GetAsync("v1/blocks/head", Json.BlockView, cancellationToken);

    /// <summary>The newest blocks (headers and certificates), newest first; page with the returned next as <paramref name="before"/>.</summary>
    public Task<Page<BlockView>> ListBlocksAsync(ulong? before = null, int limit = 20, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/blocks?limit={limit.ToString(CultureInfo.InvariantCulture)}" + (before is { } b ? $"&before={b.ToString(CultureInfo.InvariantCulture)}" : string.Empty),
            Json.PageBlockView, cancellationToken);

    public Task<BlockView?> GetBlockAsync(ulong height, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/blocks/{height}", Json.BlockView, cancellationToken);

    public async Task<string> GetGenesisJsonAsync(CancellationToken cancellationToken = default) =>
        await _http.GetStringAsync("v1/genesis", cancellationToken).ConfigureAwait(false);

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        using var response = await _http.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, type, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            ProblemView? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync(Json.ProblemView, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                // Not a problem document; fall back to the status line.
            }
            throw new ThingLedgerException(problem?.Code ?? "HTTP_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                problem?.Detail ?? response.ReasonPhrase ?? "request failed", (int)response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
            ?? throw new ThingLedgerException("EMPTY_RESPONSE", "the node sent an empty body", (int)response.StatusCode);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}

/// <summary>An offline check failed; <see cref="Result"/> names the broken link.</summary>
public sealed class ProofException(VerificationResult result) : Exception($"proof rejected at '{result.Link}': {result.Message}")
{
    public VerificationResult Result { get; } = result;
}
