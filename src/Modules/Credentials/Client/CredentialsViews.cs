using System.Text.Json.Serialization;

namespace ThingLedger.Client.Contracts;

/// <summary>A P-256 public key as a JWK.</summary>
public sealed record JwkView(string Kty, string Crv, string X, string Y);

public sealed record VerificationMethodView(string Id, string Type, string Controller, JwkView PublicKeyJwk);

public sealed record DidServiceView(string Id, string Type, string ServiceEndpoint);

/// <summary>A DID document (W3C DID Core 1.0), verification methods as JsonWebKey.</summary>
public sealed record DidDocumentView(
    [property: JsonPropertyName("@context")] List<string> Context, string Id, List<string> Controller, List<VerificationMethodView> VerificationMethod,
    List<string> Authentication, List<string> AssertionMethod, List<DidServiceView>? Service);

public sealed record DidResolutionMetadataView(string? ContentType, string? Error, string? ErrorMessage);

/// <summary>When the document was created and last updated (RFC 3339), its version, and whether it is deactivated.</summary>
public sealed record DidDocumentMetadataView(string? Created, string? Updated, string? VersionId, bool? Deactivated);

/// <summary>A DID resolution result (W3C DID Resolution): the document, how resolution went, and the document's metadata.</summary>
public sealed record DidResolutionView(
    [property: JsonPropertyName("@context")] string Context, DidDocumentView? DidDocument, DidResolutionMetadataView DidResolutionMetadata, DidDocumentMetadataView DidDocumentMetadata);

/// <summary>A verification method with its history: added (time, block) and removed (time; null while current).</summary>
public sealed record DidKeyView(string Id, string Address, List<string> Purposes, ulong Added, ulong AddedHeight, ulong? Removed);

/// <summary>A DID as the explorer and CLI show it: its current document, every key it ever had, and whether it is a device's.</summary>
public sealed record DidView(string Did, string Address, bool Device, DidDocumentView Document, DidDocumentMetadataView Metadata, List<DidKeyView> Keys, List<AccreditationView> Accreditations);

public sealed record SchemaClaimView(string Name, bool Disclosable);

public sealed record CredentialSchemaView(string Type, string Title, List<SchemaClaimView> Claims, string Org, ulong Registered);

/// <summary>A period of accreditation, [from, until) in Unix ms; until null while open.</summary>
public sealed record AccreditationPeriodView(ulong From, ulong? Until);

public sealed record AccreditationView(string Issuer, string Type, bool Accredited, List<AccreditationPeriodView> Periods);

public sealed record AccreditationProposalView(string Id, string Action, string Issuer, string Type, string Proposer, ulong ProposedAt, List<string> Approvals, ulong? EnactedAt);

/// <summary>The trust registry: every accreditation (open or past) and every proposal, newest first.</summary>
public sealed record TrustRegistryView(List<AccreditationView> Accreditations, List<AccreditationProposalView> Proposals, List<CredentialSchemaView> Schemas);

/// <summary>
/// A status list as of block <see cref="Height"/>: how many entries are set of how many, and —
/// when asked for — the whole bitstring as a Bitstring Status List's encodedList (multibase base64url of its GZIP).
/// </summary>
public sealed record StatusListView(string List, string Issuer, string Name, string Purpose, uint Size, uint Set, ulong Created, ulong Updated, string? EncodedList, ulong Height);

/// <summary>An entry of a holder's access log beside what it hides, when the holder kept it: whether the kept record gives the commitment.</summary>
public sealed record CredentialCheckView(ulong Entry, string Kind, string Commitment, ulong Time, ulong Height, string? Verifier, string? Type, string? Purpose, bool Matches);
