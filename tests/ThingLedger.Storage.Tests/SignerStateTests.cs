using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Storage.Tests;

public sealed class SignerStateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-signer-").FullName;
    private readonly KeyPair _key = KeyPair.Generate();

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static readonly AttestationScope Scope = new("signer-test", Hash.Sha256([9]));

    private static BlockHeader Header(ulong height, byte salt) =>
        new("signer-test", height, default, 1_700_000_000_000ul + salt, 0, default, default, Hash.Sha256([salt]));

    [Fact]
    public void A_second_block_at_a_signed_height_or_below_is_never_signed_even_after_a_restart()
    {
        var state = SignerState.Open(_directory);
        Assert.Null(state.Height);
        Assert.NotNull(state.TrySign(_key, Header(5, 1), Scope));
        state.Persist();

        var reopened = SignerState.Open(_directory);
        Assert.Equal(5ul, reopened.Height);
        Assert.Equal(Header(5, 1).Hash, reopened.BlockHash);
        Assert.Null(reopened.TrySign(_key, Header(5, 2), Scope));
        Assert.Null(reopened.TrySign(_key, Header(4, 1), Scope));
        Assert.Null(reopened.TrySign(_key, Header(0, 1), Scope));
        // The very block recorded may be signed again (a commit retried after a full disk).
        Assert.True(reopened.TrySign(_key, Header(5, 1), Scope)!.Verify(Header(5, 1), Scope));
        Assert.NotNull(reopened.TrySign(_key, Header(6, 9), Scope));
        reopened.Persist();
        Assert.Equal(6ul, SignerState.Open(_directory).Height);
    }

    [Fact]
    public void A_signature_whose_block_was_never_committed_leaves_no_record()
    {
        var state = SignerState.Open(_directory);
        state.TrySign(_key, Header(3, 1), Scope);
        state.Persist();
        // Block 4 signed, then the process dies before the commit (and so before Persist).
        Assert.NotNull(state.TrySign(_key, Header(4, 1), Scope));
        Assert.Null(state.TrySign(_key, Header(4, 2), Scope));
        var restarted = SignerState.Open(_directory);
        Assert.Equal(3ul, restarted.Height);
        Assert.NotNull(restarted.TrySign(_key, Header(4, 2), Scope));

        // A failed commit gives the height back at once; a block already recorded is never given back.
        restarted.Abandon();
        Assert.NotNull(restarted.TrySign(_key, Header(4, 3), Scope));
        restarted.Persist();
        restarted.Abandon();
        Assert.Null(restarted.TrySign(_key, Header(4, 1), Scope));

        // At start the record rises to the ledger's head, never falls.
        restarted.RaiseTo(9, Header(9, 1).Hash);
        restarted.RaiseTo(2, Header(2, 1).Hash);
        Assert.Equal((9ul, Header(9, 1).Hash), (SignerState.Open(_directory).Height!.Value, SignerState.Open(_directory).BlockHash));
    }

    [Fact]
    public void A_damaged_record_refuses_to_open_rather_than_being_guessed()
    {
        File.WriteAllText(SignerState.PathIn(_directory), "thingledger-signer/1 12 not-a-hash\n");
        Assert.Throws<StorageException>(() => SignerState.Open(_directory));
        File.WriteAllText(SignerState.PathIn(_directory), "");
        Assert.Throws<StorageException>(() => SignerState.Open(_directory));
    }
}
