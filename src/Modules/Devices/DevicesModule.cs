using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Devices;

/// <summary>
/// Device identities. An organisation's device-manager registers a device (its P-256 key,
/// model, serial, owner, metadata); the owner transfers it; the organisation revokes it.
/// A device id is the address of its key, so a key can be registered once; serials are
/// unique within an organisation.
/// </summary>
public sealed class DevicesModule : IModule, IDeviceRegistry
{
    public const string ModuleName = DevicesNames.ModuleName;
    public const string Register = DevicesNames.Register;
    public const string Transfer = DevicesNames.Transfer;
    public const string Revoke = DevicesNames.Revoke;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(DevicesErrors));

    public IReadOnlyList<EventType> Events => DevicesEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(DevicesPrefix, "device", DeviceRecord.Read),
        StateRecordType.Text("devices/serial/", "device id of a serial"),
        StateRecordType.Marker("devices/by-owner/", "index entry: a device of its owner"),
        StateRecordType.Marker("devices/by-org/", "index entry: a device of its organisation"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(Register, RegisterDevicePayload.Read, DoRegister, static p =>
            [F.Device(p.PublicKey.ToAddress()), F.Text("model", p.Model), F.Text("serial", p.Serial), F.Account("owner", p.Owner),
             F.Text("possession", p.Possession is null ? "none (version 1)" : "signed by the device key"),
             .. p.Metadata.Select(m => F.Text("meta " + m.Key, m.Value))], Access.Members)
        .Add(Transfer, TransferDevicePayload.Read, DoTransfer, static p => [F.Device(p.Device), F.Account("new owner", p.NewOwner)])
        .Add(Revoke, RevokeDevicePayload.Read, DoRevoke, static p => [F.Device(p.Device), F.Text("reason", p.Reason)], Access.Members);

    private OperationTable? _operations;

    public static string DeviceKey(Address id) => $"devices/device/{id}";
    public static string SerialKey(string org, string serial) => $"devices/serial/{org}/{serial}";
    public static string ByOwnerPrefix(Address owner) => $"devices/by-owner/{owner}/";
    public static string ByOrgPrefix(string org) => $"devices/by-org/{org}/";
    public const string DevicesPrefix = "devices/device/";

    public static DeviceRecord? ReadDevice(IStateReader state, Address id) => Payload.Get(state, DeviceKey(id), DeviceRecord.Read);

    DeviceRecord? IDeviceRegistry.Find(IStateReader state, Address id) => ReadDevice(state, id);

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }


    private static Outcome DoRegister(TxContext context, RegisterDevicePayload p)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.DeviceManager))
        {
            return ErrorCodes.Unauthorised;
        }
        if (!Identifiers.IsLabel(p.Model) || !Identifiers.IsLabel(p.Serial) || !ValidMetadata(p.Metadata) || !p.PublicKey.IsOnCurve())
        {
            return ErrorCodes.InvalidArgument;
        }
        if (!context.Tx.IsMetered && p.Possession is not null)
        {
            return ErrorCodes.PayloadMalformed; // version 1 had no such field: the bytes were trailing
        }
        if (context.Tx.IsMetered)
        {
            context.Gas.Charge(Gas.SignatureCheck);
            if (p.Possession is null || !SignatureVerifier.Verify(p.PublicKey, DeviceRegistration.Digest(context.Tx.ChainId, signer.Org, p.Serial), p.Possession))
            {
                return DevicesErrors.DevicePossessionInvalid;
            }
        }
        var id = p.PublicKey.ToAddress();
        if (context.State.Contains(DeviceKey(id)))
        {
            return DevicesErrors.DeviceKeyExists;
        }
        if (context.State.Contains(SerialKey(signer.Org, p.Serial)))
        {
            return DevicesErrors.DeviceSerialExists;
        }
        var record = new DeviceRecord(p.PublicKey, signer.Org, p.Model, p.Serial, p.Owner, p.Metadata, DeviceStatus.Active, context.Height, 0, string.Empty);
        context.State.Set(DeviceKey(id), Canonical.Encode(record));
        context.State.Set(SerialKey(signer.Org, p.Serial), System.Text.Encoding.UTF8.GetBytes(id.ToString()));
        context.State.Set(ByOwnerPrefix(p.Owner) + id, []);
        context.State.Set(ByOrgPrefix(signer.Org) + id, []);
        context.Emit(DevicesEvents.Registered, new("device", id.ToString()), new("org", signer.Org), new("model", p.Model),
            new("serial", p.Serial), new("owner", p.Owner.ToString()));
        return Outcome.Ok;
    }

    private static Outcome DoTransfer(TxContext context, TransferDevicePayload p)
    {
        var device = ReadDevice(context.State, p.Device);
        if (device is null)
        {
            return DevicesErrors.DeviceNotFound;
        }
        if (device.Status == DeviceStatus.Revoked)
        {
            return DevicesErrors.DeviceRevoked;
        }
        if (device.Owner != context.Signer)
        {
            return DevicesErrors.NotDeviceOwner;
        }
        context.State.Delete(ByOwnerPrefix(device.Owner) + p.Device);
        context.State.Set(ByOwnerPrefix(p.NewOwner) + p.Device, []);
        context.State.Set(DeviceKey(p.Device), Canonical.Encode(device with { Owner = p.NewOwner }));
        context.Emit(DevicesEvents.Transferred, new("device", p.Device.ToString()), new("from", device.Owner.ToString()), new("to", p.NewOwner.ToString()));
        return Outcome.Ok;
    }

    private static Outcome DoRevoke(TxContext context, RevokeDevicePayload p)
    {
        var device = ReadDevice(context.State, p.Device);
        if (device is null)
        {
            return DevicesErrors.DeviceNotFound;
        }
        if (context.SignerMembership is not { } signer || signer.Org != device.Org || !signer.Has(Roles.DeviceManager | Roles.Admin))
        {
            return ErrorCodes.Unauthorised;
        }
        if (device.Status == DeviceStatus.Revoked)
        {
            return DevicesErrors.DeviceRevoked;
        }
        if (!Identifiers.IsText(p.Reason, RevokeDevicePayload.MaxReasonLength))
        {
            return ErrorCodes.InvalidArgument;
        }
        context.State.Set(DeviceKey(p.Device), Canonical.Encode(device with { Status = DeviceStatus.Revoked, RevokedAt = context.Height, RevokeReason = p.Reason }));
        context.Emit(DevicesEvents.Revoked, new("device", p.Device.ToString()), new("org", device.Org), new("reason", p.Reason));
        return Outcome.Ok;
    }

    private static bool ValidMetadata(MetadataEntry[] entries)
    {
        foreach (var e in entries)
        {
            if (!Identifiers.IsLabel(e.Key) || e.Key.Length > 32 || !Identifiers.IsText(e.Value, Metadata.MaxValueLength))
            {
                return false;
            }
        }
        return true;
    }
}
