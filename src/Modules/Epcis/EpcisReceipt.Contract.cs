using System.Globalization;
using System.Text;
using System.Text.Json;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// An EPCIS event's receipt (proof kind "epcis-event", docs/EPCIS.md "Receipts"): the event as a
/// one-event document (so its hash can be computed again), and the anchor tx that carries its
/// record in a final block, with the record's place: which signed chunk of the anchor, which
/// record of the chunk. The anchor tx holds the chunk's records, key and signature, so everything
/// is checked from the tx itself. Checked offline with the genesis.
/// </summary>
public static class EpcisReceipt
{
    public const string Kind = "epcis-event";

    /// <summary>Lets <see cref="ProofDocument.Verify"/> check this kind (idempotent).</summary>
    public static void Register() => ProofDocument.RegisterKind(Kind, Verify);

    /// <summary>The receipt's own fields (the platform adds the block and the anchor tx); without the event document (held by the node that captured it) the receipt proves the event's record.</summary>
    public static SortedDictionary<string, string> Fields(string? eventDocument, string hash, int chunk, int position)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (eventDocument is not null)
        {
            fields["event"] = eventDocument;
        }
        fields["eventHash"] = hash;
        fields["chunk"] = chunk.ToString(CultureInfo.InvariantCulture);
        fields["position"] = position.ToString(CultureInfo.InvariantCulture);
        return fields;
    }

    /// <summary>
    /// Links, in order: event (its hash computed from the document) → anchor-tx (an epcis anchor by
    /// a validator, in the final block, succeeded) → chunk (the anchor's chunk is signed by its
    /// capturer over its records for this chain) → record (the chunk's record at the position names
    /// this event's hash).
    /// </summary>
    public static VerificationResult Verify(ProofDocument d, ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace)
    {
        if (d.Field("eventHash") is not { } claimed || EpcisEventHash.Digest(claimed) is null)
        {
            return VerificationResult.Broken("event", "the receipt has no event hash");
        }
        var computed = claimed;
        if (d.Field("event") is not { } eventDocument)
        {
            trace?.Pass("event", $"the receipt proves the record of event {claimed}; the event's document is kept by the node that captured it");
        }
        else
        {
            try
            {
                using var json = JsonDocument.Parse(Encoding.UTF8.GetBytes(eventDocument));
                var events = EpcisEventHash.HashDocument(json.RootElement);
                if (events.Count != 1)
                {
                    return VerificationResult.Broken("event", $"the receipt's document holds {events.Count} events, not one");
                }
                computed = events[0];
            }
            catch (JsonException e)
            {
                return VerificationResult.Broken("event", $"the receipt's event is not JSON: {e.Message}");
            }
            if (computed != claimed)
            {
                return VerificationResult.Broken("event", $"the event hashes to {computed}, the receipt says {claimed}: the event was altered");
            }
            trace?.Pass("event", $"the event hashes to {computed} (CBV 2.0)");
        }
        var included = d.VerifyIncludedTx(validators, header, certificate, trace, out var tx, out var receipt);
        if (!included.Ok)
        {
            return included.Link is "transaction" or "receipt" ? VerificationResult.Broken("anchor-tx", $"the anchor tx or its receipt was altered: {included.Message}") : included;
        }
        if (tx!.Module != EpcisNames.ModuleName || tx.Operation != EpcisNames.Anchor || !TryDecode(tx.Payload, EpcisAnchorPayload.Read, out var anchor))
        {
            return VerificationResult.Broken("anchor-tx", "the tx is not a canonical epcis anchor");
        }
        if (!validators.At(header.Height).Contains(tx.Signer))
        {
            return VerificationResult.Broken("anchor-tx", $"the anchor was signed by {tx.SignerAddress}, which is not a validator at block {header.Height}");
        }
        if (receipt!.Status != TxStatus.Success)
        {
            return VerificationResult.Broken("anchor-tx", "the anchor tx did not succeed, so none of its records counts");
        }
        trace?.Pass("anchor-tx", $"anchor tx {tx.Id} ({anchor.Records.Length} events in {anchor.Captures.Length} chunks) by validator {tx.SignerAddress} succeeded");
        if (!int.TryParse(d.Field("chunk"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c >= anchor.Captures.Length ||
            !int.TryParse(d.Field("position"), NumberStyles.None, CultureInfo.InvariantCulture, out var position) || position >= anchor.Captures[c].Records)
        {
            return VerificationResult.Broken("chunk", "the receipt's chunk or position is not in the anchor");
        }
        var chunk = anchor.Captures[c];
        var start = anchor.Captures.Take(c).Sum(x => (int)x.Records);
        if (!SignatureVerifier.Verify(chunk.Capturer, EpcisCaptureSigning.ChunkDigest(validators.ChainId, anchor.Records, start, (int)chunk.Records), chunk.Signature))
        {
            return VerificationResult.Broken("chunk", "the chunk's signature does not verify for its records on this chain");
        }
        var capturer = chunk.Capturer.ToAddress();
        trace?.Pass("chunk", $"{capturer} signed chunk {c} ({chunk.Records} events) for chain '{validators.ChainId}'");
        var record = anchor.Records[start + position];
        if (record.HashText != computed)
        {
            return VerificationResult.Broken("record", $"record {position} of chunk {c} is event {record.HashText}, not {computed}");
        }
        trace?.Pass("record", $"record {position} of the chunk is this event ({record.Type}Event, {(record.BizStep.Length > 0 ? record.BizStep : "no business step")})");
        var time = DateTimeOffset.FromUnixTimeMilliseconds((long)record.TimeMs).ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var what = d.Field("event") is null ? "the record of event" : "event";
        return VerificationResult.Valid($"{what} {computed} ({record.Type}Event at {time}) was signed by {capturer} and anchored in tx {tx.Id}; {included.Message}");
    }

    private delegate T Reader<out T>(ref SpanReader reader);

    private static bool TryDecode<T>(ReadOnlySpan<byte> bytes, Reader<T> read, out T value)
    {
        var reader = new SpanReader(bytes);
        value = read(ref reader);
        return reader.Finish() == CodecError.None;
    }
}
