using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Core.Verification;

public sealed partial class ProofDocument
{
    public const string ReadingKind = "reading";
    public const string AnchorModule = "telemetry";
    public const string AnchorOperation = "anchor";

    // Kind "reading"
    public string? Reading { get; set; }
    public string? DeviceKey { get; set; }
    public string? Signature { get; set; }
    public string? BatchProof { get; set; }
    public string? BatchSignature { get; set; }
    public string? AnchorProof { get; set; }

    /// <summary>
    /// A reading's receipt. Either <paramref name="signature"/> (the reading signed alone) or
    /// <paramref name="batchProof"/> with <paramref name="batchSignature"/> (its device batch) is given.
    /// </summary>
    public static ProofDocument ForReading(
        in Hash genesisHash, Reading reading, PublicKey deviceKey, byte[]? signature, MerkleProof? batchProof, byte[]? batchSignature, MerkleProof anchorProof,
        BlockHeader header, FinalityCertificate certificate, Transaction anchorTx, Receipt anchorReceipt, MerkleProof txProof, MerkleProof receiptProof)
    {
        var document = WithTx(ForBlock(ReadingKind, genesisHash.ToString(), header, certificate), anchorTx, anchorReceipt, txProof, receiptProof);
        document.Reading = Hex(reading.Encoded.ToArray());
        document.DeviceKey = deviceKey.ToHex();
        document.Signature = signature is null ? null : Hex(signature);
        document.BatchProof = batchProof is null ? null : Hex(Canonical.Encode(batchProof));
        document.BatchSignature = batchSignature is null ? null : Hex(batchSignature);
        document.AnchorProof = Hex(Canonical.Encode(anchorProof));
        return document;
    }

    /// <summary>
    /// Links, in order: reading → device-key → signature (or batch-path, then signature) →
    /// anchor-tx → the block's finality and the anchor tx's inclusion → anchor-path → anchor-summary.
    /// </summary>
    private VerificationResult VerifyReading(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace)
    {
        if (!TryBytes(Reading, out var readingBytes) || Telemetry.Reading.TryDecode(readingBytes, out var reading) != CodecError.None)
        {
            return VerificationResult.Broken("reading", "the reading is not a canonical reading");
        }
        trace?.Pass("reading", $"a canonical reading: sequence {reading!.Sequence} of device {reading.Device}, {reading.SchemaRef}, measured at {reading.Timestamp}");
        if (!PublicKey.TryParseHex(DeviceKey, out var key) || key!.ToAddress() != reading!.Device)
        {
            return VerificationResult.Broken("device-key", $"the device key is not the key of device {reading!.Device}");
        }
        trace?.Pass("device-key", $"the key {key.ToHex()[..16]}… is device {reading.Device}'s key");
        var leaf = reading.LeafHash;
        var signed = VerifyDeviceSignature(validators.ChainId, reading, key, leaf, trace);
        if (!signed.Ok)
        {
            return signed;
        }
        if (!TryBytes(Tx, out var txBytes) || Transaction.TryDecode(txBytes, out var tx) != CodecError.None ||
            tx!.Module != AnchorModule || tx.Operation != AnchorOperation)
        {
            return VerificationResult.Broken("anchor-tx", "the anchor is not a canonical telemetry anchor tx");
        }
        if (!validators.At(header.Height).Contains(tx.Signer))
        {
            return VerificationResult.Broken("anchor-tx", $"the anchor was signed by {tx.SignerAddress}, which is not a validator of chain '{validators.ChainId}' at block {header.Height}");
        }
        var payloadReader = new SpanReader(tx.Payload);
        var anchor = AnchorPayload.Read(ref payloadReader);
        if (payloadReader.Finish() != CodecError.None)
        {
            return VerificationResult.Broken("anchor-tx", "the anchor payload is not canonical");
        }
        trace?.Pass("anchor-tx", $"anchor tx {tx.Id} (root {anchor.Root}, {anchor.Count} readings) is signed by validator {tx.SignerAddress}");
        // The anchor tx must be the one in the final block before anything it says counts.
        var included = VerifyTx(validators, header, certificate, trace);
        if (!included.Ok)
        {
            return included.Link is "transaction" or "receipt"
                ? VerificationResult.Broken("anchor-tx", $"the anchor tx or its receipt was altered: {included.Message}")
                : included;
        }
        if (!TryProof(AnchorProof, out var anchorProof) || anchorProof!.TreeSize != anchor.Count || !MerkleTree.Verify(anchor.Root, leaf, anchorProof))
        {
            return VerificationResult.Broken("anchor-path", $"the reading is not under anchor root {anchor.Root}");
        }
        trace?.Pass("anchor-path", $"the reading is leaf {anchorProof.LeafIndex} of {anchorProof.TreeSize} under anchor root {anchor.Root}");
        if (!TryBytes(Receipt, out var receiptBytes) || Ledger.Receipt.TryDecode(receiptBytes, out var receipt) != CodecError.None || receipt!.Status != TxStatus.Success)
        {
            return VerificationResult.Broken("anchor-summary", "the anchor tx did not succeed, so none of its summaries counts");
        }
        if (!Covers(anchor, reading))
        {
            return VerificationResult.Broken("anchor-summary",
                $"no summary of the anchor covers sequence {reading.Sequence} of device {reading.Device} ({reading.SchemaRef}, day {DeviceSummary.DayOf(reading.Timestamp)})");
        }
        trace?.Pass("anchor-summary", $"the anchor's summary of device {reading.Device} covers sequence {reading.Sequence}, and the anchor tx succeeded");
        return VerificationResult.Valid(
            $"reading {reading.Sequence} of device {reading.Device} ({reading.SchemaRef}, measured at {reading.Timestamp}) was signed by the device " +
            $"and anchored in tx {tx.Id}; {included.Message}");
    }

    private VerificationResult VerifyDeviceSignature(string chainId, Reading reading, PublicKey key, in Hash leaf, LinkTrace? trace)
    {
        if (BatchProof is not null && Signature is not null)
        {
            // One of the two is not checked: a document must not carry bytes that prove nothing.
            return VerificationResult.Broken("signature", "the document gives both the reading's own signature and a device-batch path; a reading is signed one way");
        }
        if (BatchProof is null)
        {
            if (!TryBytes(Signature, out var signature) || !SignatureVerifier.Verify(key, reading.SigningDigest(chainId), signature))
            {
                return VerificationResult.Broken("signature", "the device's signature does not verify for this reading and chain");
            }
            trace?.Pass("signature", $"the device signed this reading for chain '{chainId}'");
            return VerificationResult.Valid("signed");
        }
        if (!TryProof(BatchProof, out var batchProof) || !MerkleTree.TryComputeRoot(leaf, batchProof!, out var root))
        {
            return VerificationResult.Broken("batch-path", "the path from the reading to its device batch's root is malformed");
        }
        if (batchProof!.TreeSize > DeviceBatch.MaxReadings)
        {
            return VerificationResult.Broken("batch-path", $"a device batch holds at most {DeviceBatch.MaxReadings} readings");
        }
        trace?.Pass("batch-path", $"the reading is leaf {batchProof.LeafIndex} of {batchProof.TreeSize} of a device batch with root {root}");
        var digest = DeviceBatch.SigningDigest(chainId, reading.Device, (uint)batchProof.TreeSize, root);
        if (!TryBytes(BatchSignature, out var batchSignature) || !SignatureVerifier.Verify(key, digest, batchSignature))
        {
            return VerificationResult.Broken("signature", "the device's batch signature does not verify over the root this reading leads to");
        }
        trace?.Pass("signature", $"the device signed its batch root for chain '{chainId}'");
        return VerificationResult.Valid("signed");
    }

    private static bool Covers(AnchorPayload anchor, Reading reading)
    {
        foreach (var s in anchor.Summaries)
        {
            if (s.Device == reading.Device && s.Schema == reading.Schema && s.SchemaVersion == reading.SchemaVersion &&
                s.HoldsTime(reading.Timestamp) && s.FirstSequence <= reading.Sequence && reading.Sequence <= s.LastSequence)
            {
                return true;
            }
        }
        return false;
    }
}
