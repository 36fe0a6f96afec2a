using System.Text.Json;
using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Core.Ledger;

/// <summary>An organisation defined at genesis with its first administrators.</summary>
public sealed record GenesisOrg(string Id, string Name, PublicKey[] Admins);

/// <summary>A key whose attestations count towards finality, and the organisation that runs it.</summary>
public sealed record GenesisValidator(string Org, PublicKey PublicKey)
{
    /// <summary>Encoded size of a validator list: count, then (org, key) each.</summary>
    public static int ListLength(IReadOnlyList<GenesisValidator> validators)
    {
        var size = CanonicalSizes.VarUInt((ulong)validators.Count);
        foreach (var v in validators)
        {
            size += CanonicalSizes.String(v.Org) + PublicKey.Size;
        }
        return size;
    }

    public static void WriteList(ref SpanWriter writer, IReadOnlyList<GenesisValidator> validators)
    {
        writer.WriteVarUInt((ulong)validators.Count);
        foreach (var v in validators)
        {
            writer.WriteString(v.Org);
            writer.WritePublicKey(v.PublicKey);
        }
    }
}

/// <summary>
/// The genesis document: the chain id, start time, organisations and validators. Its hash
/// (over the canonical encoding) is block 0's previous hash, binding the chain to it; it is
/// all a verifier needs to check receipts offline.
/// </summary>
public sealed class Genesis : ICanonical
{
    /// <summary>The version <c>init</c> writes: its validators' attestations bind its hash.</summary>
    public const byte CurrentVersion = 2;

    /// <summary>From this version on, attestations sign the genesis hash too (<see cref="AttestationScope"/>).</summary>
    public const byte BoundAttestationsVersion = 2;

    /// <summary>The first version: attestations sign chain id, height, block hash and state root only. Still read.</summary>
    public const byte UnboundVersion = 1;

    public Genesis(string chainId, ulong timestamp, IEnumerable<GenesisOrg> orgs, IEnumerable<GenesisValidator> validators, int quorum, byte version = CurrentVersion)
    {
        if (version is not (UnboundVersion or CurrentVersion))
        {
            throw new FormatException($"genesis: version {version} is not one this node reads ({UnboundVersion} or {CurrentVersion})");
        }
        Version = version;
        ChainId = chainId;
        Timestamp = timestamp;
        Orgs = [.. orgs.Select(o => o with { Admins = [.. o.Admins.OrderBy(k => k.ToHex(), StringComparer.Ordinal)] }).OrderBy(o => o.Id, StringComparer.Ordinal)];
        Validators = [.. validators.OrderBy(v => v.PublicKey.ToHex(), StringComparer.Ordinal)];
        Quorum = quorum;
        Validate();
        Hash = Hash.Sha256(Canonical.Encode(this));
    }

    /// <summary>1 for chains initialised before attestations bound the genesis hash, else 2.</summary>
    public byte Version { get; }
    public string ChainId { get; }
    public ulong Timestamp { get; }
    public IReadOnlyList<GenesisOrg> Orgs { get; }
    public IReadOnlyList<GenesisValidator> Validators { get; }
    public int Quorum { get; }
    public Hash Hash { get; }

    /// <summary>True when <paramref name="key"/> is one of the genesis validators.</summary>
    public bool IsValidator(PublicKey key)
    {
        foreach (var v in Validators)
        {
            if (v.PublicKey.Equals(key))
            {
                return true;
            }
        }
        return false;
    }

    private void Validate()
    {
        if (string.IsNullOrEmpty(ChainId) || !Identifiers.IsLabel(ChainId))
        {
            throw new FormatException("genesis: chainId must be 1-64 characters of A-Z a-z 0-9 . _ : -");
        }
        if (Orgs.Count == 0)
        {
            throw new FormatException("genesis: at least one organisation is required");
        }
        var keys = new HashSet<PublicKey>();
        for (var i = 0; i < Orgs.Count; i++)
        {
            var org = Orgs[i];
            if (!Identifiers.IsOrgId(org.Id))
            {
                throw new FormatException($"genesis: organisation id '{org.Id}' must be 1-32 of a-z 0-9 '-' starting with a letter");
            }
            if (i > 0 && Orgs[i - 1].Id == org.Id)
            {
                throw new FormatException($"genesis: organisation '{org.Id}' is defined twice");
            }
            if (!Identifiers.IsText(org.Name, 128) || org.Name.Length == 0)
            {
                throw new FormatException($"genesis: organisation '{org.Id}' needs a name of 1-128 printable characters");
            }
            if (org.Admins.Length == 0)
            {
                throw new FormatException($"genesis: organisation '{org.Id}' needs at least one admin key");
            }
            foreach (var admin in org.Admins)
            {
                if (!keys.Add(admin))
                {
                    throw new FormatException($"genesis: admin key {admin.ToHex()[..16]}… is listed twice");
                }
                if (!admin.IsOnCurve())
                {
                    throw new FormatException($"genesis: admin key {admin.ToHex()[..16]}… is not a P-256 point");
                }
            }
        }
        if (Validators.Count == 0)
        {
            throw new FormatException("genesis: at least one validator is required");
        }
        var validatorKeys = new HashSet<PublicKey>();
        foreach (var v in Validators)
        {
            if (!Orgs.Any(o => o.Id == v.Org))
            {
                throw new FormatException($"genesis: validator of unknown organisation '{v.Org}'");
            }
            if (!validatorKeys.Add(v.PublicKey))
            {
                throw new FormatException("genesis: a validator key is listed twice");
            }
            if (!v.PublicKey.IsOnCurve())
            {
                throw new FormatException($"genesis: validator key of '{v.Org}' is not a P-256 point");
            }
        }
        if (Quorum < 1 || Quorum > Validators.Count)
        {
            throw new FormatException($"genesis: quorum {Quorum} must be between 1 and the number of validators ({Validators.Count})");
        }
    }

    /// <summary>The default quorum: more than two thirds of the validators.</summary>
    public static int SupermajorityOf(int validators) => (validators * 2 / 3) + 1;

    public int EncodedLength
    {
        get
        {
            var size = 1 + CanonicalSizes.String(ChainId) + 8 + CanonicalSizes.VarUInt((ulong)Orgs.Count);
            foreach (var org in Orgs)
            {
                size += CanonicalSizes.String(org.Id) + CanonicalSizes.String(org.Name) + CanonicalSizes.VarUInt((ulong)org.Admins.Length) + (org.Admins.Length * PublicKey.Size);
            }
            return size + GenesisValidator.ListLength(Validators) + 4;
        }
    }

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU8(Version);
        writer.WriteString(ChainId);
        writer.WriteU64(Timestamp);
        writer.WriteVarUInt((ulong)Orgs.Count);
        foreach (var org in Orgs)
        {
            writer.WriteString(org.Id);
            writer.WriteString(org.Name);
            writer.WriteVarUInt((ulong)org.Admins.Length);
            foreach (var admin in org.Admins)
            {
                writer.WritePublicKey(admin);
            }
        }
        GenesisValidator.WriteList(ref writer, Validators);
        writer.WriteU32((uint)Quorum);
    }

    public string ToJson() => JsonSerializer.Serialize(
        new GenesisDocument
        {
            Version = Version == UnboundVersion ? null : Version,
            ChainId = ChainId,
            Timestamp = Timestamp,
            Orgs = [.. Orgs.Select(o => new GenesisDocument.Org { Id = o.Id, Name = o.Name, Admins = [.. o.Admins.Select(a => a.ToHex())] })],
            Validators = [.. Validators.Select(v => new GenesisDocument.Validator { Org = v.Org, PublicKey = v.PublicKey.ToHex() })],
            Quorum = Quorum,
        },
        GenesisJsonContext.Default.GenesisDocument);

    /// <summary>Parses and validates a genesis JSON document; errors say which field is wrong.</summary>
    public static Genesis Parse(string json)
    {
        var doc = StrictJson.Deserialize(json, GenesisJsonContext.Default.GenesisDocument, "genesis");
        if (doc.ChainId is null || doc.Orgs is null || doc.Validators is null)
        {
            throw new FormatException("genesis: chainId, orgs and validators are required");
        }
        var orgs = doc.Orgs.Select(o => new GenesisOrg(
            o.Id ?? throw new FormatException("genesis: an organisation has no id"),
            o.Name ?? string.Empty,
            [.. (o.Admins ?? []).Select(a => ParseKey(a, $"admin of '{o.Id}'"))]));
        var validators = doc.Validators.Select(v => new GenesisValidator(
            v.Org ?? throw new FormatException("genesis: a validator has no org"),
            ParseKey(v.PublicKey, $"validator of '{v.Org}'")));
        if (doc.Version is { } version && version != CurrentVersion)
        {
            throw new FormatException($"genesis: version {version} is not one this node reads (absent for version {UnboundVersion}, or {CurrentVersion})");
        }
        return new Genesis(doc.ChainId, doc.Timestamp, orgs, validators, doc.Quorum, (byte)(doc.Version ?? UnboundVersion));
    }

    private static PublicKey ParseKey(string? hex, string what) =>
        PublicKey.TryParseHex(hex, out var key) ? key! : throw new FormatException($"genesis: {what} must be a 130-hex-digit P-256 public key (04 ‖ X ‖ Y)");
}

/// <summary>The JSON shape of the genesis file.</summary>
public sealed class GenesisDocument
{
    /// <summary>Absent in version 1 files (written before attestations bound the genesis hash).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; set; }

    public string? ChainId { get; set; }
    public ulong Timestamp { get; set; }
    public List<Org>? Orgs { get; set; }
    public List<Validator>? Validators { get; set; }
    public int Quorum { get; set; }

    public sealed class Org
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public List<string>? Admins { get; set; }
    }

    public sealed class Validator
    {
        public string? Org { get; set; }
        public string? PublicKey { get; set; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(GenesisDocument))]
internal sealed partial class GenesisJsonContext : JsonSerializerContext;
