using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Core.Verification;

/// <summary>
/// What a relying party needs a proof to be about. A proof that verifies proves something; this
/// asks whether it proves *this*: its kind, the state key it proves, the tx it includes (for a
/// reading, its anchor tx) and the device whose reading it is. Unset fields are not checked.
/// </summary>
public sealed record ProofExpectation(string? Kind = null, string? Key = null, Address? Device = null, Hash? Tx = null)
{
    /// <summary>Valid when <paramref name="document"/> (already verified) is about what is expected; otherwise the link "expectation" and what it is about instead.</summary>
    public VerificationResult Check(ProofDocument document)
    {
        if (Kind is not null && document.Kind != Kind)
        {
            return Broken($"it proves a {document.Kind}, not a {Kind}");
        }
        if (Key is not null && (document.Kind != ProofDocument.StateKind || document.Key != Key))
        {
            return Broken(document.Kind == ProofDocument.StateKind ? $"it proves state key '{document.Key}', not '{Key}'" : $"it proves a {document.Kind}, not a state key");
        }
        if (Tx is { } tx)
        {
            var proven = document.Kind is ProofDocument.TxKind or ProofDocument.ReadingKind && Codec.Hex.TryDecode(document.Tx, out var bytes) &&
                Transaction.TryDecode(bytes, out var decoded) == CodecError.None ? decoded!.Id : (Hash?)null;
            if (proven != tx)
            {
                return Broken(proven is null ? $"it proves a {document.Kind}, which includes no tx" : $"it proves tx {proven}, not {tx}");
            }
        }
        if (Device is { } device)
        {
            var proven = document.Kind == ProofDocument.ReadingKind && Codec.Hex.TryDecode(document.Reading, out var bytes) &&
                Reading.TryDecode(bytes, out var reading) == CodecError.None ? reading!.Device : (Address?)null;
            if (proven != device)
            {
                return Broken(proven is null ? $"it proves a {document.Kind}, not a device's reading" : $"it proves a reading of device {proven}, not of {device}");
            }
        }
        return VerificationResult.Valid("it proves what was expected");
    }

    private static VerificationResult Broken(string message) => VerificationResult.Broken("expectation", message);
}
