using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>Who may connect: a registered, unrevoked device proving it holds its key.</summary>
public sealed partial class MqttBroker
{
    /// <summary>Client ids are a device id, or a device id, "-" and a label of 1 to 32 letters, digits, "_" or "-".</summary>
    internal static Address? ParseClientId(string? clientId)
    {
        if (clientId is null || clientId.Length < Address.TextLength)
        {
            return null;
        }
        if (!Address.TryParse(clientId[..Address.TextLength], out var device))
        {
            return null;
        }
        var label = clientId.AsSpan(Address.TextLength);
        if (label.IsEmpty)
        {
            return device;
        }
        if (label[0] != '-' || label.Length is < 2 or > 33)
        {
            return null;
        }
        foreach (var c in label[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return null;
            }
        }
        return device;
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var (reason, code, detail) = Authenticate(e);
        if (code is not null)
        {
            e.ReasonCode = reason;
            e.ReasonString = $"{code}: {detail}";
            _presence.CountRefusal(code);
            LogConnectRefused(e.ClientId, code, detail);
        }
        return Task.CompletedTask;
    }

    private (MqttConnectReasonCode Reason, string? Code, string? Detail) Authenticate(ValidatingConnectionEventArgs e)
    {
        if (ParseClientId(e.ClientId) is not { } device)
        {
            return (MqttConnectReasonCode.ClientIdentifierNotValid, TelemetryErrors.MqttClientIdInvalid,
                $"the client id must be the device id (tl1…), optionally followed by '-' and a label of up to 32 letters, digits, '_' or '-'; not '{e.ClientId}'");
        }
        if (e.KeepAlivePeriod is not { } keepAlive || keepAlive == 0 || keepAlive > _options.MaxKeepAliveSeconds)
        {
            return (e.ProtocolVersion == MqttProtocolVersion.V500 ? MqttConnectReasonCode.ProtocolError : MqttConnectReasonCode.ClientIdentifierNotValid, TelemetryErrors.MqttKeepAlive,
                $"keep-alive must be 1 to {_options.MaxKeepAliveSeconds} s, so that a connection gone silent is closed; it is {e.KeepAlivePeriod ?? 0}");
        }
        var record = DevicesModule.ReadDevice(_node.Store, device);
        if (record is null)
        {
            return (MqttConnectReasonCode.NotAuthorized, DevicesErrors.DeviceNotFound, $"no device {device} is registered on chain {_node.Genesis.ChainId}");
        }
        if (record.Status == DeviceStatus.Revoked)
        {
            return (MqttConnectReasonCode.Banned, DevicesErrors.DeviceRevoked, $"device {device} was revoked at height {record.RevokedAt}");
        }
        if (e.UserName != device.ToString())
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid, "the user name must be the device id");
        }
        if (MqttConnectProof.Parse(e.Password) is not { } proof)
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid,
                "the password must be a proof of the device key, v1.{time ms}.{signature, base64url} (thingledger device mqtt-password)");
        }
        var now = (ulong)_clock.GetUtcNow().ToUnixTimeMilliseconds();
        var age = proof.Time > now ? proof.Time - now : now - proof.Time;
        if (age > (ulong)_options.ProofMaxAgeMs)
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, TelemetryErrors.MqttProofStale,
                $"the proof was made for {proof.Time} ms; this node accepts {_options.ProofMaxAgeMs} ms either side of its clock, now {now}");
        }
        if (!MqttConnectProof.Verify(record.PublicKey, _node.Genesis.ChainId, device, proof.Time, proof.Signature))
        {
            return (MqttConnectReasonCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid,
                $"the proof does not verify with the registered key of device {device} on chain {_node.Genesis.ChainId}");
        }
        // A proof is good once: it must be later than the last one this node accepted for the device.
        while (true)
        {
            var last = _lastProof.GetOrAdd(device, 0);
            if (proof.Time <= last)
            {
                return (MqttConnectReasonCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid,
                    "this proof, or a later one, was used before; make a new proof for each connection");
            }
            if (_lastProof.TryUpdate(device, proof.Time, last))
            {
                break;
            }
        }
        e.SessionItems[DeviceItem] = device;
        e.SessionItems[V5Item] = e.ProtocolVersion == MqttProtocolVersion.V500;
        return (MqttConnectReasonCode.Success, null, null);
    }
}
