using System.Globalization;
using System.IO.Compression;
using ThingLedger.Client.Contracts;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Credentials;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Credentials;

/// <summary>DIDs (and devices as DIDs), schemas, the trust registry, status lists and trust bundles read from committed state: the one place the credentials API and explorer pages read from.</summary>
public sealed class CredentialsQueries(LedgerNode node)
{
    private LedgerStore Store => node.Store;

    /// <summary>A DID's document as it is now, or as it was at <paramref name="versionTime"/> (Unix ms): the methods present then. Null when neither a DID nor a device.</summary>
    public DidView? Did(Address address, ulong? versionTime = null) => Store.Consistent(_ =>
    {
        var did = CredentialRules.Did(address);
        if (CredentialsState.ReadDid(Store, address) is { } record && (versionTime is not { } asked || asked >= record.Created))
        {
            var keys = record.Fragments.Select(f => (Fragment: f, Record: CredentialsState.ReadMethod(Store, address, f)!)).ToList();
            var present = keys.Where(k => versionTime is { } t ? k.Record.ValidAt(t) : k.Record.Current).ToList();
            var document = Document(did, [.. record.Controllers.Select(CredentialRules.Did)], present.Select(k => (k.Fragment, k.Record.Key, k.Record.Purposes)),
                [.. record.Services.Select(s => new DidServiceView($"{did}#{s.Fragment}", s.Type, s.Endpoint))]);
            var deactivated = !record.Active && (versionTime is not { } when || when >= record.Deactivated);
            var metadata = new DidDocumentMetadataView(Time(record.Created), Time(record.Updated), record.Version.ToString(CultureInfo.InvariantCulture),
                deactivated ? true : null);
            return new DidView(did, address.ToString(), false, document, metadata,
                [.. keys.Select(k => new DidKeyView($"{did}#{k.Fragment}", k.Record.Key.ToAddress().ToString(), Purposes(k.Record.Purposes), k.Record.Added, k.Record.AddedHeight,
                    k.Record.Current ? null : k.Record.Removed))],
                Accreditations(address));
        }
        if (CredentialsState.ReadDid(Store, address) is null && DevicesModule.ReadDevice(Store, address) is { } device)
        {
            var registered = Store.GetHead(device.RegisteredAt)?.Header.Timestamp ?? 0;
            var document = Document(did, [CredentialRules.Did(device.Owner)], [("device", device.PublicKey, DidPurposes.All)], null);
            var revoked = device.Status == DeviceStatus.Revoked ? Store.GetHead(device.RevokedAt)?.Header.Timestamp : null;
            var metadata = new DidDocumentMetadataView(Time(registered), Time(revoked ?? registered), revoked is null ? "1" : "2", revoked is null ? null : true);
            return new DidView(did, address.ToString(), true, document, metadata,
                [new DidKeyView($"{did}#device", address.ToString(), Purposes(DidPurposes.All), registered, device.RegisteredAt, revoked)], []);
        }
        return null;
    });

    public CredentialSchemaView? Schema(string type) => CredentialsState.ReadSchema(Store, type) is { } s ? View(s) : null;

    public TrustRegistryView Registry() => Store.Consistent(_ =>
    {
        var accreditations = LedgerLists.Decoded(Store, CredentialsState.AccreditationsPrefix, AccreditationRecord.Read)
            .Select(e => View(e.Id[..e.Id.IndexOf('/', StringComparison.Ordinal)], e.Id[(e.Id.IndexOf('/', StringComparison.Ordinal) + 1)..], e.Record)).ToList();
        var proposals = LedgerLists.Decoded(Store, CredentialsState.ProposalsPrefix, AccreditationProposalRecord.Read)
            .Select(e => new AccreditationProposalView(e.Id, AccreditPayload.ActionName(e.Record.Proposal.Action), CredentialRules.Did(e.Record.Proposal.Issuer), e.Record.Proposal.Type,
                e.Record.Proposer.ToString(), e.Record.ProposedAt, [.. e.Record.Approvals], e.Record.Enacted ? e.Record.EnactedAt : null))
            .OrderByDescending(p => p.ProposedAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        var schemas = LedgerLists.Decoded(Store, CredentialsState.SchemasPrefix, SchemaRecord.Read).Select(e => View(e.Record)).ToList();
        return new TrustRegistryView(accreditations, proposals, schemas);
    });

    /// <summary>A status list at the head; with <paramref name="encoded"/>, its whole bitstring as a Bitstring Status List encodedList.</summary>
    public StatusListView? StatusList(Address issuer, string name, bool encoded) => Store.Consistent(head =>
    {
        if (CredentialsState.ReadStatusList(Store, issuer, name) is not { } list)
        {
            return null;
        }
        string? encodedList = null;
        if (encoded)
        {
            using var buffer = new MemoryStream();
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                var zeros = new byte[CredentialRules.PageBytes];
                for (var page = 0u; page < list.Size / CredentialRules.PageEntries; page++)
                {
                    gzip.Write(CredentialsState.ReadStatusPage(Store, issuer, name, page) ?? zeros);
                }
            }
            encodedList = "u" + Jose.Encode(buffer.ToArray());
        }
        return View(issuer, name, list, head.Height, encodedList);
    });

    /// <summary>The status lists of an issuer, without their bitstrings.</summary>
    public List<StatusListView> StatusLists(Address issuer) => Store.Consistent(head =>
        LedgerLists.Decoded(Store, $"{CredentialsState.StatusListsPrefix}{issuer}/", StatusListRecord.Read)
            .Select(e => View(issuer, e.Id, e.Record, head.Height, null)).ToList());

    /// <summary>Every issuer with a status list, and its lists.</summary>
    public List<StatusListView> AllStatusLists() => Store.Consistent(head =>
        LedgerLists.Decoded(Store, CredentialsState.StatusListsPrefix, StatusListRecord.Read).Select(e =>
        {
            var slash = e.Id.IndexOf('/', StringComparison.Ordinal);
            return View(Address.Parse(e.Id[..slash]), e.Id[(slash + 1)..], e.Record, head.Height, null);
        }).ToList());

    private static StatusListView View(Address issuer, string name, StatusListRecord list, ulong height, string? encodedList) =>
        new(CredentialRules.StatusListUrl(issuer, name), CredentialRules.Did(issuer), name, StatusListPayload.PurposeName(list.Purpose),
            list.Size, list.Set, list.Created, list.Updated, encodedList, height);

    /// <summary>State proofs, at the head, of every key a verifier needs for the request (present or absent).</summary>
    public ProofBundle Trust(TrustRequest request) => Store.Consistent(head =>
    {
        var bundle = new ProofBundle { Subject = $"trust in {CredentialRules.Did(request.Issuer)}#{request.KeyFragment} for {request.Type}" };
        foreach (var key in request.Keys().Distinct(StringComparer.Ordinal))
        {
            var (value, proof, at) = Store.GetWithProof(key);
            var document = ProofDocument.ForState(node.Genesis.Hash, at.Header, at.Certificate, key, value, proof);
            document.Membership = node.MembershipProof(at.Height);
            bundle.Proofs.Add(document);
        }
        return bundle;
    });

    private List<AccreditationView> Accreditations(Address issuer) =>
        [.. LedgerLists.Decoded(Store, $"{CredentialsState.AccreditationsPrefix}{issuer}/", AccreditationRecord.Read).Select(e => View(issuer.ToString(), e.Id, e.Record))];

    private static AccreditationView View(string issuer, string type, AccreditationRecord record) =>
        new(CredentialsNames.DidPrefix + issuer, type, record.Open, [.. record.Periods.Select(p => new AccreditationPeriodView(p.From, p.Until == 0 ? null : p.Until))]);

    private static CredentialSchemaView View(SchemaRecord s) =>
        new(s.Schema.Type, s.Schema.Title, [.. s.Schema.Claims.Select(c => new SchemaClaimView(c.Name, c.Disclosable))], s.Org, s.Registered);

    private static DidDocumentView Document(string did, List<string> controllers, IEnumerable<(string Fragment, PublicKey Key, DidPurposes Purposes)> methods, List<DidServiceView>? services)
    {
        var list = methods.ToList();
        return new DidDocumentView(["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"], did, controllers,
            [.. list.Select(m => new VerificationMethodView($"{did}#{m.Fragment}", "JsonWebKey", did, Jwk(m.Key)))],
            [.. list.Where(m => m.Purposes.HasFlag(DidPurposes.Authentication)).Select(m => $"{did}#{m.Fragment}")],
            [.. list.Where(m => m.Purposes.HasFlag(DidPurposes.AssertionMethod)).Select(m => $"{did}#{m.Fragment}")],
            services is { Count: > 0 } ? services : null);
    }

    public static JwkView Jwk(PublicKey key)
    {
        var (x, y) = Jose.Coordinates(key);
        return new("EC", "P-256", x, y);
    }

    private static List<string> Purposes(DidPurposes purposes) =>
        [.. new[] { (DidPurposes.Authentication, "authentication"), (DidPurposes.AssertionMethod, "assertionMethod") }.Where(p => purposes.HasFlag(p.Item1)).Select(p => p.Item2)];

    private static string? Time(ulong unixMs) => unixMs == 0 ? null : CredentialIssuer.Rfc3339(DateTimeOffset.FromUnixTimeMilliseconds((long)unixMs));
}
