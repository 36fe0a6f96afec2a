using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Consortium;
using ThingLedger.Storage;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Catch-up from a neighbour: a faithful block applies; a block altered in transit, or signed by
/// a validator but not reproducible by execution, is refused and changes nothing.
/// </summary>
public sealed class PeerSyncTests : IDisposable
{
    private readonly TestNode _source = new();
    private readonly TestNode _follower;
    private readonly HttpClient _http = new();

    public PeerSyncTests() => _follower = TestNode.SameChainAs(_source);

    public void Dispose()
    {
        _http.Dispose();
        _follower.Dispose();
        _source.Dispose();
    }

    private LedgerNode Source => _source.Services.GetRequiredService<LedgerNode>();

    private LedgerNode Follower => _follower.Services.GetRequiredService<LedgerNode>();

    private PeerSync Sync() => new(Follower, _http, NullLogger.Instance);

    private async Task<BlockRecord> FirstBlockAsync()
    {
        var admin = await _source.AccountAsync(_source.Admin("voltmotors"));
        var response = await _source.Client().SubmitAsync(
            [admin.Sign(Operations.CreateToken("VOLT", "Volt points", 0, Execution.Roles.Admin, 0)), admin.Sign(Operations.Mint("VOLT", admin.Address, 5))],
            wait: true);
        Assert.All(response.Results, r => Assert.Equal(TxState.Committed, r.Status));
        var block = Source.Store.GetBlock(response.Results[0].Height!.Value)!;
        Assert.Equal(1UL, block.Header.Height);
        Assert.Equal(2U, block.Header.TxCount);
        return new BlockRecord(block.Header, block.Certificate, block.Transactions);
    }

    [Fact]
    public async Task A_faithful_block_applies_and_reproduces_the_source_state()
    {
        var record = await FirstBlockAsync();
        await Sync().ApplyAsync(PeerSync.DecodePage(PeerSync.EncodePage([record]))[0]);
        Assert.Equal(record.Header.Hash, Follower.Head.Header.Hash);
        Assert.Equal(Source.Store.GetHead(1)!.Header.StateRoot, Follower.Head.Header.StateRoot);
    }

    [Fact]
    public async Task A_block_whose_txs_were_swapped_in_transit_is_refused()
    {
        var record = await FirstBlockAsync();
        using var stranger = KeyPair.Generate();
        var swapped = record with { Transactions = [record.Transactions[0], Operations.Burn("VOLT", 1).Sign(_source.Genesis.ChainId, stranger, 1)] };
        var before = Follower.Head;
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Sync().ApplyAsync(swapped));
        Assert.Contains("tx root", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Follower.Head);
    }

    [Fact]
    public async Task A_header_altered_after_signing_fails_its_certificate()
    {
        var record = await FirstBlockAsync();
        var altered = record with { Header = record.Header with { Timestamp = record.Header.Timestamp + 1 } };
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Sync().ApplyAsync(altered));
        Assert.Contains("attestation", error.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, Follower.Head.Height);
    }

    [Fact]
    public async Task A_validly_signed_block_that_execution_does_not_reproduce_is_not_committed()
    {
        var record = await FirstBlockAsync();
        // The validator itself signs a header with a state root that execution will not give.
        var forged = record.Header with { StateRoot = Hash.Sha256([1, 2, 3]) };
        using var validator = KeyPair.ImportPem(File.ReadAllText(DataDirectory.NodeKeyPath(_source.Directory)));
        var lie = new BlockRecord(forged, FinalityCertificate.Of(Attestation.Sign(validator, forged, Follower.Validators.Scope)), record.Transactions);
        var rootBefore = Follower.Head.Header.StateRoot;
        await Assert.ThrowsAsync<BlockMismatchException>(() => Sync().ApplyAsync(lie));
        Assert.Equal(0UL, Follower.Head.Height);
        Assert.Equal(rootBefore, Follower.Store.GetWithProof("x").Head.Header.StateRoot);

        // State was rolled back exactly: the faithful block still applies afterwards.
        await Sync().ApplyAsync(record);
        Assert.Equal(record.Header.Hash, Follower.Head.Header.Hash);
    }
}
