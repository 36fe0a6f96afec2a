namespace ThingLedger.Core.Crypto;

/// <summary>
/// Domain-separation tags. Every signed message starts with one of these and the chain id,
/// so a signature made for one purpose or one network is worthless in any other.
/// </summary>
public static class DomainTags
{
    public const string Transaction = "thingledger/tx/v1";
    public const string Attestation = "thingledger/attest/v1";

    /// <summary>An attestation that also binds the genesis hash (chains whose genesis is version 2).</summary>
    public const string BoundAttestation = "thingledger/attest/v2";

    public const string Address = "thingledger/address/v1";
    public const string Genesis = "thingledger/genesis/v1";
    public const string Cut = "thingledger/cut/v1";
    public const string DeviceRegistration = "thingledger/device-registration/v1";
}
