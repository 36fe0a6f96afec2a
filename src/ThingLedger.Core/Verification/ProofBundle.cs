using System.Text.Json;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Core.Verification;

/// <summary>
/// Proofs about one subject, in one file (docs/WIRE-FORMAT.md "Proof bundles"): an item's journey
/// as one receipt per event, say. <c>{"type": "thingledger/proof-bundle/v1", "subject": …,
/// "proofs": [proof documents]}</c>. Each proof is checked on its own against the trusted genesis;
/// the bundle holds when every one does.
/// </summary>
public sealed class ProofBundle
{
    public const string BundleType = "thingledger/proof-bundle/v1";
    public const int MaxProofs = 10_000;

    public string Type { get; set; } = BundleType;

    /// <summary>What the proofs are about, in words or as an identifier (an item's Digital Link).</summary>
    public string Subject { get; set; } = string.Empty;

    public List<ProofDocument> Proofs { get; set; } = [];

    /// <summary>Each proof's result, in order, and the bundle's: valid when every proof is, else the first broken one's link, numbered.</summary>
    public (VerificationResult Bundle, IReadOnlyList<VerificationResult> Each) Verify(Genesis genesis)
    {
        if (Type != BundleType || Proofs.Count == 0 || Proofs.Count > MaxProofs)
        {
            return (VerificationResult.Broken("bundle", $"not a {BundleType} bundle of 1 to {MaxProofs} proofs"), []);
        }
        var each = Proofs.Select(p => p.Verify(genesis)).ToList();
        var broken = each.FindIndex(r => !r.Ok);
        return (broken < 0
            ? VerificationResult.Valid($"all {each.Count} proofs about {Subject} verified")
            : VerificationResult.Broken($"proof {broken}: {each[broken].Link}", each[broken].Message), each);
    }

    public string ToJson() => JsonSerializer.Serialize(this, ProofJsonContext.Default.ProofBundle);

    /// <summary>True when <paramref name="json"/> is an object whose type names a bundle (so a reader can tell a bundle from a single proof).</summary>
    public static bool IsBundle(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var type) &&
                type.ValueKind == JsonValueKind.String && type.GetString() == BundleType;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static ProofBundle Parse(string json) => StrictJson.Deserialize(json, ProofJsonContext.Default.ProofBundle, "the proof bundle");
}
