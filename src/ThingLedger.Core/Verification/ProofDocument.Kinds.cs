using System.Collections.Concurrent;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Core.Verification;

/// <summary>
/// Checks the part of a module's proof kind beyond the block: given the document and what the
/// platform decoded (validators in force, header, certificate), the links it adds. A module's kind
/// typically proves its anchor tx in the final block with <see cref="ProofDocument.VerifyIncludedTx"/>
/// and then its own links, reading the document's <see cref="ProofDocument.Fields"/>.
/// </summary>
public delegate VerificationResult ProofKindVerifier(ProofDocument document, ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace);

public sealed partial class ProofDocument
{
    private static readonly ConcurrentDictionary<string, ProofKindVerifier> ModuleKinds = new(StringComparer.Ordinal);

    /// <summary>A module kind's own parts, by name (hex for bytes, text otherwise); absent in the platform's kinds.</summary>
    public SortedDictionary<string, string>? Fields { get; set; }

    /// <summary>Registers a module's proof kind (idempotent for the same verifier). A kind the platform has cannot be taken.</summary>
    public static void RegisterKind(string kind, ProofKindVerifier verifier)
    {
        if (kind is StateKind or TxKind or ReadingKind or MembershipKind)
        {
            throw new ArgumentException($"'{kind}' is a platform proof kind", nameof(kind));
        }
        ModuleKinds.TryAdd(kind, verifier);
    }

    /// <summary>A document of a module's kind: the block and, when given, the tx (with its receipt and inclusion) it stands on.</summary>
    public static ProofDocument ForModule(string kind, in Crypto.Hash genesisHash, BlockHeader header, FinalityCertificate certificate,
        Transaction tx, Receipt receipt, Merkle.MerkleProof txProof, Merkle.MerkleProof receiptProof, SortedDictionary<string, string> fields)
    {
        var document = WithTx(ForBlock(kind, genesisHash.ToString(), header, certificate), tx, receipt, txProof, receiptProof);
        document.Fields = fields;
        return document;
    }

    /// <summary>
    /// The document's tx and receipt: decoded, included in the block the certificate makes final.
    /// Valid with the tx and receipt, or the broken link.
    /// </summary>
    public VerificationResult VerifyIncludedTx(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace,
        out Transaction? tx, out Receipt? receipt)
    {
        tx = null;
        receipt = null;
        var included = VerifyTx(validators, header, certificate, trace);
        if (!included.Ok)
        {
            return included;
        }
        _ = TryBytes(Tx, out var txBytes);
        _ = Transaction.TryDecode(txBytes, out tx);
        _ = TryBytes(Receipt, out var receiptBytes);
        _ = Ledger.Receipt.TryDecode(receiptBytes, out receipt);
        return included;
    }

    /// <summary>A field's text, or null.</summary>
    public string? Field(string name) => Fields is not null && Fields.TryGetValue(name, out var text) ? text : null;

    private VerificationResult VerifyModuleKind(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace) =>
        ModuleKinds.TryGetValue(Kind, out var verify)
            ? verify(this, validators, header, certificate, trace)
            : VerificationResult.Broken("document", $"unknown proof kind '{Kind}' (expected '{StateKind}', '{TxKind}', '{ReadingKind}'" +
                string.Concat(ModuleKinds.Keys.Order(StringComparer.Ordinal).Select(k => $", '{k}'")) + ")");

    /// <summary>Whether the document's platform parts are absent where a kind does not use them (checked for module kinds: no bytes that prove nothing).</summary>
    private bool HasOnlyModuleParts => Key is null && Value is null && Proof is null && Reading is null && DeviceKey is null && Signature is null &&
        BatchProof is null && BatchSignature is null && AnchorProof is null;
}
