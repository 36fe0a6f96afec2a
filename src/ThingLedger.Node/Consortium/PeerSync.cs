using System.Net.Http.Headers;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Consortium;

/// <summary>
/// Catch-up: fetches final blocks this peer is missing from other peers over HTTP
/// (GET /v1/sync/blocks), checks each one (it follows this peer's head, a quorum of genesis
/// validators signed it, its txs match its tx root, every signature holds), executes it and
/// commits it only if that reproduces its header. A peer that serves anything else is skipped.
/// </summary>
public sealed partial class PeerSync
{
    public const string MediaType = "application/vnd.thingledger.blocks";
    public const int PageBlocks = 64;

    private readonly LedgerNode _node;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    public PeerSync(LedgerNode node, HttpClient http, ILogger logger)
    {
        _node = node;
        _http = http;
        _logger = logger;
    }

    public static Uri[] ParsePeers(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p =>
            Uri.TryCreate(p, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new InvalidOperationException($"Node:Peers: '{p}' must be an http(s) URL such as http://127.0.0.1:7071"))];

    /// <summary>Applies every final block the peers have beyond this peer's head; returns how many.</summary>
    public async Task<int> CatchUpAsync(CancellationToken cancellationToken)
    {
        var applied = 0;
        foreach (var peer in _node.Peers)
        {
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var page = await FetchAsync(peer, _node.Head.Height + 1, cancellationToken).ConfigureAwait(false);
                    if (page.Count == 0)
                    {
                        break;
                    }
                    foreach (var record in page)
                    {
                        await ApplyAsync(record).ConfigureAwait(false);
                        applied++;
                    }
                    LogCaughtUp(peer, _node.Head.Height);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException or BlockMismatchException)
            {
                // Unreachable, or it served something this peer cannot accept: ask the next one.
                LogPeerFailed(peer, e.Message);
            }
        }
        return applied;
    }

    private async Task<List<BlockRecord>> FetchAsync(Uri peer, ulong from, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(peer, $"/v1/sync/blocks?from={from}&limit={PageBlocks}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        return DecodePage(bytes);
    }

    /// <summary>A page is a count followed by length-prefixed <see cref="BlockRecord"/>s.</summary>
    public static byte[] EncodePage(IReadOnlyList<BlockRecord> records)
    {
        var encoded = records.Select(r => r.Encode()).ToList();
        var size = CanonicalSizes.VarUInt((ulong)encoded.Count) + encoded.Sum(e => CanonicalSizes.Bytes(e.Length));
        var bytes = new byte[size];
        var writer = new SpanWriter(bytes);
        writer.WriteVarUInt((ulong)encoded.Count);
        foreach (var e in encoded)
        {
            writer.WriteBytes(e);
        }
        return bytes;
    }

    public static List<BlockRecord> DecodePage(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var count = reader.ReadCount(PageBlocks);
        var records = new List<BlockRecord>(count);
        for (var i = 0; i < count && reader.Ok; i++)
        {
            var error = BlockRecord.TryDecode(reader.ReadBytes(int.MaxValue), out var record);
            if (error != CodecError.None)
            {
                throw new InvalidDataException($"block record {i} of the page does not decode: {error}");
            }
            records.Add(record!);
        }
        if (reader.Finish() is var pageError and not CodecError.None)
        {
            throw new InvalidDataException($"the page of blocks does not decode: {pageError}");
        }
        return records;
    }

    /// <summary>Checks, verifies every signature, executes and commits one fetched block.</summary>
    public async Task ApplyAsync(BlockRecord record)
    {
        var problem = record.CheckFollows(_node.Validators, _node.Head.Header);
        if (problem is not null)
        {
            throw new InvalidDataException(problem);
        }
        var txs = record.Transactions;
        var bad = 0;
        await _node.Verifier.RunAsync(txs.Count, i =>
        {
            if (!txs[i].VerifySignature())
            {
                Interlocked.Increment(ref bad);
            }
        }).ConfigureAwait(false);
        if (bad > 0)
        {
            throw new InvalidDataException($"block {record.Header.Height} holds {bad} txs whose signatures do not verify");
        }
        _node.ApplyBlock(record.Header.Timestamp, txs, record);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Caught up from {Peer} to height {Height}")]
    private partial void LogCaughtUp(Uri peer, ulong height);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Fetching blocks from {Peer} failed: {Reason}")]
    private partial void LogPeerFailed(Uri peer, string reason);
}
