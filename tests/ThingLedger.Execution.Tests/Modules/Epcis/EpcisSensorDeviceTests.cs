using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Epcis;
using static ThingLedger.Execution.Tests.Modules.Epcis.EpcisTestChain;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>A cold-chain series in an event's sensor data can name the registered device whose signed readings it is; the record carries the device, and a device the ledger does not have is flagged.</summary>
public sealed class EpcisSensorDeviceTests
{
    private readonly EpcisTestChain _e = new();

    private string Shipped(string deviceId) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{_e.NextTime()}}","eventTimeZoneOffset":"+00:00","action":"OBSERVE","bizStep":"transporting","epcList":["{{Pallet1}}"],""" +
        $$""" "sensorElementList":[{"sensorMetadata":{"deviceID":"{{deviceId}}"},"sensorReport":[{"type":"Temperature","value":4.5,"uom":"CEL"}]}]}""";

    private Address Register()
    {
        var tag = KeyPair.Generate();
        var receipt = _e.Chain.Run(_e.Chain.Tx(_e.Chain.AcmeAdmin, DevicesModule.ModuleName, DevicesModule.Register, new RegisterDevicePayload(
            tag.PublicKey, "LOGGER-1", "LOG-1", _e.Chain.AcmeAdmin.Address, [], TestChain.Possession(tag, "acme", "LOG-1"))));
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return tag.Address;
    }

    [Fact]
    public void The_record_names_the_logger_and_keeps_its_bytes_without_one()
    {
        var logger = Register();
        var record = _e.Events(Document(Shipped(EpcisDocumentReader.DevicePrefix + logger)))[0].Record;
        Assert.Equal([logger], record.Devices);
        Assert.True((record.Flags & EpcisEventFlags.DeviceSeries) != 0);
        var bytes = Canonical.Encode(record);
        Assert.Equal(record.EncodedLength, bytes.Length);
        var reader = new SpanReader(bytes);
        Assert.Equal([logger], EpcisEventRecord.Read(ref reader).Devices);
        Assert.Equal(CodecError.None, reader.Finish());

        // A foreign device id is the capturer's business; it is not a ledger device and adds nothing to the record.
        var plain = _e.Events(Document(Shipped("urn:example:logger:77")))[0].Record;
        Assert.Empty(plain.Devices);
        Assert.Equal(plain.EncodedLength, Canonical.Encode(plain).Length);
    }

    [Fact]
    public void A_malformed_ledger_device_id_is_refused()
    {
        var read = _e.Read(Document(Shipped(EpcisDocumentReader.DevicePrefix + "not-an-address")));
        Assert.Equal(EpcisErrors.IdInvalid, Assert.Single(read.Errors).Code);
    }

    [Fact]
    public void A_series_from_a_device_the_ledger_does_not_have_is_flagged()
    {
        var logger = Register();
        _e.AnchorOk(Document(_e.Aggregate("ADD", Pallet1, Item1)));
        _e.AnchorOk(Document(Shipped(EpcisDocumentReader.DevicePrefix + logger)));
        Assert.Empty(_e.Flags(Pallet1));
        _e.AnchorOk(Document(Shipped(EpcisDocumentReader.DevicePrefix + KeyPair.Generate().Address)));
        Assert.Equal(EpcisErrors.SensorDeviceUnknown, Assert.Single(_e.Flags(Pallet1)).Code);
    }
}
