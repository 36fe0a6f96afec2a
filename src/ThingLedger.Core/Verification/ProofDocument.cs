using System.Text.Json;
using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.State;

namespace ThingLedger.Core.Verification;

/// <summary>
/// A self-contained proof, as the node serves it and as `thingledger verify` reads it: every
/// binary part is the canonical encoding in hex, so nothing depends on how JSON was produced.
/// Kind "state": a key's value (or absence) at a final block. Kind "tx": a tx and its receipt in a final block.
/// Kind "reading": a device reading, its signature, and its anchor tx in a final block (ProofDocument.Reading.cs).
/// Any kind may carry "membership": the membership changes between genesis and its block, each
/// a tx proof of the approval that scheduled a new validator set (ProofDocument.Membership.cs).
/// </summary>
public sealed partial class ProofDocument
{
    public const string StateKind = "state";
    public const string TxKind = "tx";

    public string Kind { get; set; } = string.Empty;
    public string ChainId { get; set; } = string.Empty;

    /// <summary>
    /// The hash of the genesis the document's block descends from, in hex (absent in membership
    /// links). Checked against the trusted genesis; required when that genesis is version 2,
    /// whose attestations sign the same hash.
    /// </summary>
    public string? GenesisHash { get; set; }

    public ulong Height { get; set; }
    public string Header { get; set; } = string.Empty;
    public string Certificate { get; set; } = string.Empty;

    // Kind "state"
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? Proof { get; set; }

    // Kind "tx" (for kind "reading": the anchor tx)
    public string? Tx { get; set; }
    public string? Receipt { get; set; }
    public string? TxProof { get; set; }
    public string? ReceiptProof { get; set; }

    public static ProofDocument ForState(in Hash genesisHash, BlockHeader header, FinalityCertificate certificate, string key, byte[]? value, StateProof proof)
    {
        var document = ForBlock(StateKind, genesisHash.ToString(), header, certificate);
        document.Key = key;
        document.Value = value is null ? null : Hex(value);
        document.Proof = Hex(Canonical.Encode(proof));
        return document;
    }

    public static ProofDocument ForTx(
        in Hash genesisHash, BlockHeader header, FinalityCertificate certificate, Transaction tx, Receipt receipt, MerkleProof txProof, MerkleProof receiptProof) =>
        WithTx(ForBlock(TxKind, genesisHash.ToString(), header, certificate), tx, receipt, txProof, receiptProof);

    /// <summary>The labels and the block every kind starts from; <paramref name="genesisHash"/> is null in membership links.</summary>
    private static ProofDocument ForBlock(string kind, string? genesisHash, BlockHeader header, FinalityCertificate certificate) => new()
    {
        Kind = kind,
        ChainId = header.ChainId,
        GenesisHash = genesisHash,
        Height = header.Height,
        Header = Hex(header.Encode()),
        Certificate = Hex(certificate.Encode()),
    };

    private static ProofDocument WithTx(ProofDocument document, Transaction tx, Receipt receipt, MerkleProof txProof, MerkleProof receiptProof)
    {
        document.Tx = Hex(tx.Encode());
        document.Receipt = Hex(receipt.Encode());
        document.TxProof = Hex(Canonical.Encode(txProof));
        document.ReceiptProof = Hex(Canonical.Encode(receiptProof));
        return document;
    }

    /// <summary>
    /// Checks the whole chain of links against <paramref name="genesis"/>; trusts nothing else.
    /// <paramref name="trace"/>, when given, receives each link as it is checked.
    /// </summary>
    public VerificationResult Verify(Genesis genesis, LinkTrace? trace = null)
    {
        var result = VerifyChain(genesis, trace);
        return trace is null ? result : trace.End(result);
    }

    private VerificationResult VerifyChain(Genesis genesis, LinkTrace? trace)
    {
        var validators = ValidatorHistory.FromGenesis(genesis);
        if (Kind == MembershipKind)
        {
            return VerificationResult.Broken("document", $"a '{MembershipKind}' link is only checked inside another proof's membership list");
        }
        var named = VerifyGenesisLabel(genesis);
        if (!named.Ok)
        {
            return named;
        }
        trace?.Pass("genesis", named.Message);
        for (var i = 0; i < (Membership?.Count ?? 0); i++)
        {
            var link = Membership![i].VerifyMembershipLink(validators, out var next);
            if (!link.Ok)
            {
                return VerificationResult.Broken("membership", $"membership change {i + 1}: {link.Message}");
            }
            trace?.Pass("membership", $"membership change {i + 1}, final in block {Membership[i].Height}: {link.Message}");
            validators = next!;
        }
        return VerifyAgainst(validators, trace);
    }

    /// <summary>
    /// The document names the trusted genesis. For a version-2 genesis the label is required
    /// (its certificate will be checked against the same hash); a version-1 chain's older
    /// documents may lack it, but a label that is there must match.
    /// </summary>
    private VerificationResult VerifyGenesisLabel(Genesis genesis)
    {
        var trusted = genesis.Hash.ToString();
        if (GenesisHash is null)
        {
            return genesis.Version >= Genesis.BoundAttestationsVersion
                ? VerificationResult.Broken("genesis", $"the document does not name its genesis; the trusted genesis is {trusted}")
                : VerificationResult.Valid($"genesis {trusted} (version 1: the document does not name it, attestations do not bind it)");
        }
        if (!string.Equals(GenesisHash, trusted, StringComparison.Ordinal))
        {
            return VerificationResult.Broken("genesis", $"the document names genesis {GenesisHash}, the trusted genesis is {trusted}");
        }
        return VerificationResult.Valid(genesis.Version >= Genesis.BoundAttestationsVersion
            ? $"the document names the trusted genesis {trusted}, which its validators' attestations bind"
            : $"the document names the trusted genesis {trusted} (version 1: attestations do not bind it)");
    }

    private VerificationResult VerifyAgainst(ValidatorHistory validators, LinkTrace? trace)
    {
        var block = DecodeBlock(out var header, out var certificate);
        if (!block.Ok)
        {
            return block;
        }
        trace?.Pass("header", $"block {header!.Height} of chain '{header.ChainId}', hash {header.Hash}");
        return Kind switch
        {
            StateKind or TxKind or ReadingKind when Fields is not null => VerificationResult.Broken("document", $"a '{Kind}' document carries module fields"),
            StateKind => VerifyState(validators, header!, certificate!, trace),
            TxKind => VerifyTx(validators, header!, certificate!, trace),
            ReadingKind => VerifyReading(validators, header!, certificate!, trace),
            _ when !HasOnlyModuleParts => VerificationResult.Broken("document", $"a '{Kind}' document carries parts of another kind"),
            _ => VerifyModuleKind(validators, header!, certificate!, trace),
        };
    }

    private VerificationResult DecodeBlock(out BlockHeader? header, out FinalityCertificate? certificate)
    {
        certificate = null;
        if (!TryBytes(Header, out var headerBytes) || BlockHeader.TryDecode(headerBytes, out header) != CodecError.None)
        {
            header = null;
            return VerificationResult.Broken("header", "the header is not a canonical block header");
        }
        if (header!.Height != Height)
        {
            return VerificationResult.Broken("header", $"the document says height {Height}, the header says {header.Height}");
        }
        if (!string.Equals(header.ChainId, ChainId, StringComparison.Ordinal))
        {
            return VerificationResult.Broken("header", $"the document says chain '{ChainId}', the header says '{header.ChainId}'");
        }
        if (!TryBytes(Certificate, out var certBytes) || FinalityCertificate.TryDecode(certBytes, out certificate) != CodecError.None)
        {
            return VerificationResult.Broken("certificate", "the certificate is not a canonical finality certificate");
        }
        return VerificationResult.Valid("decoded");
    }

    private VerificationResult VerifyState(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace)
    {
        if (Key is null || !TryBytes(Proof, out var proofBytes))
        {
            return VerificationResult.Broken("document", "a state proof needs key and proof");
        }
        byte[]? value = null;
        if (Value is not null && !TryBytes(Value, out value))
        {
            return VerificationResult.Broken("document", "value is not hex");
        }
        var reader = new SpanReader(proofBytes);
        var proof = StateProof.Read(ref reader);
        if (reader.Finish() != CodecError.None)
        {
            return VerificationResult.Broken("state-proof", "the state proof is not canonical");
        }
        return ProofVerifier.VerifyState(validators, header, certificate, Key, value, proof, trace);
    }

    private VerificationResult VerifyTx(ValidatorHistory validators, BlockHeader header, FinalityCertificate certificate, LinkTrace? trace = null)
    {
        if (!TryBytes(Tx, out var txBytes) || Transaction.TryDecode(txBytes, out var tx) != CodecError.None)
        {
            return VerificationResult.Broken("transaction", "the tx is not a canonical transaction");
        }
        if (!TryBytes(Receipt, out var receiptBytes) || Ledger.Receipt.TryDecode(receiptBytes, out var receipt) != CodecError.None)
        {
            return VerificationResult.Broken("receipt", "the receipt is not a canonical receipt");
        }
        if (!TryProof(TxProof, out var txProof))
        {
            return VerificationResult.Broken("tx-inclusion", "the tx proof is not a canonical Merkle proof");
        }
        if (!TryProof(ReceiptProof, out var receiptProof))
        {
            return VerificationResult.Broken("receipt-inclusion", "the receipt proof is not a canonical Merkle proof");
        }
        return ProofVerifier.VerifyTransaction(validators, header, certificate, tx!, txProof!, receipt!, receiptProof!, trace);
    }

    private static bool TryProof(string? hex, out MerkleProof? proof)
    {
        proof = null;
        if (!TryBytes(hex, out var bytes))
        {
            return false;
        }
        var reader = new SpanReader(bytes);
        proof = MerkleProof.Read(ref reader);
        return reader.Finish() == CodecError.None;
    }

    /// <summary>Lower-case hex only, as documents are written: one document, one spelling.</summary>
    private static bool TryBytes(string? hex, out byte[] bytes)
    {
        if (hex is not null && hex.AsSpan().ContainsAny(UpperHex))
        {
            bytes = [];
            return false;
        }
        return Codec.Hex.TryDecode(hex, out bytes);
    }

    private static readonly System.Buffers.SearchValues<char> UpperHex = System.Buffers.SearchValues.Create("ABCDEF");

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    public string ToJson() => JsonSerializer.Serialize(this, ProofJsonContext.Default.ProofDocument);

    public static ProofDocument Parse(string json)
    {
        return StrictJson.Deserialize(json, ProofJsonContext.Default.ProofDocument, "the proof document");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ProofDocument))]
[JsonSerializable(typeof(ProofBundle))]
public sealed partial class ProofJsonContext : JsonSerializerContext;
