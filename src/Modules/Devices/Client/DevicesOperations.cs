using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;

namespace ThingLedger.Client;

/// <summary>The devices module's operations, ready to sign.</summary>
public static partial class Operations
{
    /// <summary>
    /// Registers a device for organisation <paramref name="org"/>, signing its proof of possession with
    /// the device key; metadata keys are sorted here so the payload is canonical.
    /// </summary>
    public static Operation RegisterDevice(KeyPair device, string chainId, string org, string model, string serial, Address owner, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        RegisterDevice(device.PublicKey, DeviceRegistration.Prove(device, chainId, org, serial), model, serial, owner, metadata);

    /// <summary>
    /// Registers a device whose key signed <paramref name="possession"/> itself (a secure element:
    /// <see cref="DeviceRegistration.Digest"/> over chain, organisation and serial).
    /// </summary>
    [Builds(DevicesNames.ModuleName, DevicesNames.Register)]
    public static Operation RegisterDevice(PublicKey deviceKey, byte[] possession, string model, string serial, Address owner, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
        Operation.Of(DevicesNames.ModuleName, DevicesNames.Register, new RegisterDevicePayload(deviceKey, model, serial, owner,
            [.. (metadata ?? []).OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new MetadataEntry(m.Key, m.Value))], possession));

    [Builds(DevicesNames.ModuleName, DevicesNames.Transfer)]
    public static Operation TransferDevice(Address device, Address newOwner) =>
        Operation.Of(DevicesNames.ModuleName, DevicesNames.Transfer, new TransferDevicePayload(device, newOwner));

    [Builds(DevicesNames.ModuleName, DevicesNames.Revoke)]
    public static Operation RevokeDevice(Address device, string reason) =>
        Operation.Of(DevicesNames.ModuleName, DevicesNames.Revoke, new RevokeDevicePayload(device, reason));
}
