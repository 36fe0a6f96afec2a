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

        var reopened = SignerState.Open(_directory);
        Assert.Equal(5ul, reopened.Height);
        Assert.Equal(Header(5, 1).Hash, reopened.BlockHash);
        Assert.Null(reopened.TrySign(_key, Header(5, 2), Scope));
        Assert.Null(reopened.TrySign(_key, Header(4, 1), Scope));
        Assert.Null(reopened.TrySign(_key, Header(0, 1), Scope));
        // The very block recorded may be signed again (a commit retried after a full disk).
        Assert.True(reopened.TrySign(_key, Header(5, 1), Scope)!.Verify(Header(5, 1), Scope));
        Assert.NotNull(reopened.TrySign(_key, Header(6, 9), Scope));
        Assert.Equal(6ul, SignerState.Open(_directory).Height);
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
