using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>
/// What an attestation binds besides the block: the chain id always, and for a genesis of
/// version 2 or later also the genesis hash, so a certificate of one chain can never be
/// passed off as one of another chain that shares its id and validator keys.
/// </summary>
public readonly record struct AttestationScope(string ChainId, Hash? GenesisHash)
{
    /// <summary>The scope a chain's validators sign in, as its genesis says.</summary>
    public static AttestationScope Of(Genesis genesis) =>
        new(genesis.ChainId, genesis.Version >= Genesis.BoundAttestationsVersion ? genesis.Hash : null);

    /// <summary>The domain tag: <c>thingledger/attest/v2</c> when the genesis hash is bound, else v1.</summary>
    public string Tag => GenesisHash is null ? DomainTags.Attestation : DomainTags.BoundAttestation;

    /// <summary>The bytes a validator signs after the tag and chain id.</summary>
    public byte[] Body(ulong height, in Hash blockHash, in Hash stateRoot)
    {
        var body = new byte[8 + Hash.Size + Hash.Size + (GenesisHash is null ? 0 : Hash.Size)];
        var writer = new SpanWriter(body);
        writer.WriteU64(height);
        writer.WriteHash(blockHash);
        writer.WriteHash(stateRoot);
        if (GenesisHash is { } genesis)
        {
            writer.WriteHash(genesis);
        }
        return body;
    }

    public byte[] Sign(KeyPair validator, ulong height, in Hash blockHash, in Hash stateRoot) =>
        validator.Sign(Tag, ChainId, Body(height, blockHash, stateRoot));

    public bool Verify(PublicKey validator, ulong height, in Hash blockHash, in Hash stateRoot, ReadOnlySpan<byte> signature) =>
        SignatureVerifier.Verify(validator, Tag, ChainId, Body(height, blockHash, stateRoot), signature);
}
