using ThingLedger.Core;

namespace ThingLedger.Execution.Modules.Devices;

/// <summary>
/// The devices module's error codes (docs/ERRORS.md, "Devices"). New codes start with
/// <see cref="Prefix"/>; the kernel refuses at start a code another module or the kernel declares.
/// </summary>
public static class DevicesErrors
{
    public const string Prefix = "DEVICES_";

    [Unprefixed]
    public const string DeviceNotFound = "DEVICE_NOT_FOUND";

    [Unprefixed]
    public const string DeviceKeyExists = "DEVICE_KEY_EXISTS";

    [Unprefixed]
    public const string DevicePossessionInvalid = "DEVICE_POSSESSION_INVALID";

    [Unprefixed]
    public const string DeviceSerialExists = "DEVICE_SERIAL_EXISTS";

    [Unprefixed]
    public const string DeviceRevoked = "DEVICE_REVOKED";

    [Unprefixed]
    public const string NotDeviceOwner = "NOT_DEVICE_OWNER";
}
