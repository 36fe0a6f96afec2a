using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Modules.Devices;

/// <summary>The device registry's read surface for other modules.</summary>
public interface IDeviceRegistry
{
    /// <summary>The registered device <paramref name="id"/> (active or revoked), or null.</summary>
    DeviceRecord? Find(IStateReader state, Address id);
}
