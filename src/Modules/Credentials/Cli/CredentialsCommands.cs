using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Cli.Commands;

/// <summary>id did|issuer|schema|status: the on-chain side of identity (docs/IDENTITY.md).</summary>
internal static partial class CredentialsCommands
{
    public static Command Create() =>
        new Command("id", "Digital identity: DIDs, accredited issuers, schemas, status lists, credentials, wallet, presentations, verification (docs/IDENTITY.md).")
            .With(Did(), Issuer(), Schema(), Status(), Issue(), Wallet(), Present(), Trust(), Verify(), Revoke(), Check(), Checks());

    private static Command Did()
    {
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var keys = new Option<string[]>("--key") { Description = "Another verification method: fragment=key (a key name, hex public key or PEM file), optionally :authentication or :assertionMethod (default both)", AllowMultipleArgumentsPerToken = false };
        var services = new Option<string[]>("--service") { Description = "A service: fragment=Type=https://endpoint" };
        var controllers = new Option<string[]>("--controller") { Description = "An address (or key name) allowed to update the DID (default: the creating key alone)" };
        var create = new Command("create", "Create the DID of the --as key's address; its first method, key-1, is that key.\nExample: thingledger id did create --as county-office")
            .With(signer, keys, services, controllers, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                DidMethod[] methods = [new("key-1", account.Key.PublicKey, DidPurposes.All), .. Methods(cli, parse.GetValue(keys))];
                var (exit, _) = await cli.SubmitAsync(account, Operations.CreateDid(methods, Services(parse.GetValue(services)), Controllers(cli, parse.GetValue(controllers))),
                    parse.GetValue(noWait), ct).ConfigureAwait(false);
                if (exit == 0 && !cli.Json)
                {
                    Console.WriteLine($"DID: {CredentialRules.Did(account.Address)}");
                }
                return exit;
            });

        var didArgument = DidArgument();
        var at = new Option<string>("--at") { Description = "Show the document as it was at this time (RFC 3339)" };
        var show = new Command("show", "Resolve a DID (or a device's address): its document, every key it had, its accreditations.\nExample: thingledger id did show did:thingledger:tl…")
            .With(didArgument, at)
            .Runs(async (parse, cli, ct) =>
            {
                var did = DidOf(cli, parse.GetValue(didArgument)!);
                if (parse.GetValue(at) is { } time)
                {
                    var resolved = await cli.Client.ResolveDidAsync(did, time, ct).ConfigureAwait(false);
                    if (resolved?.DidDocument is not { } then)
                    {
                        throw new ArgumentException($"{did} did not resolve at {time}: {resolved?.DidResolutionMetadata.Error} ({resolved?.DidResolutionMetadata.ErrorMessage})");
                    }
                    if (cli.Json)
                    {
                        Output.Json(resolved);
                        return 0;
                    }
                    Output.Rows($"{did} at {time}", ["method", "authentication", "assertion"], then.VerificationMethod.Select(m => new[]
                        { m.Id[(did.Length + 1)..], then.Authentication.Contains(m.Id) ? "yes" : "no", then.AssertionMethod.Contains(m.Id) ? "yes" : "no" }));
                    return 0;
                }
                var view = await cli.Client.GetDidAsync(did, ct).ConfigureAwait(false) ?? throw new ArgumentException($"no DID or device {did} on this chain");
                if (cli.Json)
                {
                    Output.Json(view);
                    return 0;
                }
                Output.Fields(view.Did, ("address", view.Address), ("kind", view.Device ? "device" : "DID"), ("controllers", string.Join(", ", view.Document.Controller)),
                    ("created", view.Metadata.Created), ("updated", view.Metadata.Updated), ("version", view.Metadata.VersionId),
                    ("status", view.Metadata.Deactivated == true ? "deactivated" : "active"),
                    ("services", view.Document.Service is { } s ? string.Join(", ", s.Select(x => $"{x.Id[(view.Did.Length + 1)..]} {x.Type} {x.ServiceEndpoint}")) : null));
                Output.Rows("keys", ["id", "purposes", "added", "removed"], view.Keys.Select(k => new[]
                    { k.Id[(view.Did.Length + 1)..], string.Join(", ", k.Purposes), Output.Time(k.Added), k.Removed is { } r ? Output.Time(r) : "current" }));
                Output.Rows("accreditations", ["type", "status", "periods"], view.Accreditations.Select(a => new[]
                    { a.Type, a.Accredited ? "accredited" : "withdrawn", string.Join("; ", a.Periods.Select(p => $"{Output.Time(p.From)} – {(p.Until is { } u ? Output.Time(u) : "now")}")) }));
                return 0;
            });

        var updateDid = DidArgument();
        var remove = new Option<string[]>("--remove-key") { Description = "Remove (rotate out) a method by its fragment; it stays in the history" };
        var update = new Command("update", "Add and remove methods (key rotation), replace services or controllers; signed by a current controller.\nExample: thingledger id did update did:thingledger:tl… --key key-2=new-office-key --remove-key key-1 --as county-office")
            .With(updateDid, keys, remove, services, controllers, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var did = AddressOf(cli, parse.GetValue(updateDid)!);
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var newServices = parse.GetResult(services) is { Implicit: false } ? Services(parse.GetValue(services)) : null;
                return (await cli.SubmitAsync(account, Operations.UpdateDid(did, Methods(cli, parse.GetValue(keys)), parse.GetValue(remove) ?? [], newServices,
                    Controllers(cli, parse.GetValue(controllers))), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });

        var deactivateDid = DidArgument();
        var deactivate = new Command("deactivate", "Deactivate a DID for good: it resolves as deactivated and credentials it signed no longer verify.\nExample: thingledger id did deactivate did:thingledger:tl… --as county-office")
            .With(deactivateDid, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.DeactivateDid(AddressOf(cli, parse.GetValue(deactivateDid)!)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
        return new Command("did", "did:thingledger DIDs: create, show (resolve), update (rotate keys), deactivate.").With(create, show, update, deactivate);
    }

    private static Command Issuer()
    {
        Command Change(string name, AccreditAction action, string description)
        {
            var did = DidArgument();
            var type = new Option<string>("--type") { Description = "Credential type (a registered schema)", Required = true };
            var signer = CommonOptions.As();
            var noWait = CommonOptions.Wait();
            return new Command(name, description).With(did, type, signer, noWait).Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var (exit, tx) = await cli.SubmitAsync(account, Operations.ProposeAccreditation(action, AddressOf(cli, parse.GetValue(did)!), parse.GetValue(type)!),
                    parse.GetValue(noWait), ct).ConfigureAwait(false);
                if (exit == 0 && !cli.Json)
                {
                    var registry = await cli.Client.GetTrustRegistryAsync(ct).ConfigureAwait(false);
                    Console.WriteLine(registry.Proposals.FirstOrDefault(p => p.Id == tx.Id.ToString()) is { EnactedAt: not null }
                        ? $"proposal {tx.Id}: enacted (your organisation's approval was the quorum)"
                        : $"proposal {tx.Id}: enacted once admins of a quorum of validating organisations approve (thingledger id issuer approve {tx.Id} --as …)");
                }
                return exit;
            });
        }

        var proposal = new Argument<string>("proposal") { Description = "The proposal's id (the id of the tx that proposed it)" };
        var approver = CommonOptions.As();
        var approveWait = CommonOptions.Wait();
        var approve = new Command("approve", "Approve an accreditation proposal for your organisation.\nExample: thingledger id issuer approve 5f2c… --as gridco-admin")
            .With(proposal, approver, approveWait)
            .Runs(async (parse, cli, ct) =>
            {
                if (!Hash.TryParse(parse.GetValue(proposal), out var id))
                {
                    throw new FormatException($"proposal '{parse.GetValue(proposal)}' is not a tx id (64 hex digits)");
                }
                var account = await cli.SignerAsync(parse.GetValue(approver)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.ApproveAccreditation(id), parse.GetValue(approveWait), ct).ConfigureAwait(false)).Exit;
            });
        var list = new Command("list", "The trust registry: who is accredited for which credential type, since when, and open proposals.\nExample: thingledger id issuer list")
            .Runs(async (_, cli, ct) =>
            {
                var registry = await cli.Client.GetTrustRegistryAsync(ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(registry);
                    return 0;
                }
                Output.Rows("accredited issuers", ["issuer", "type", "status", "since"], registry.Accreditations.Select(a => new[]
                    { a.Issuer, a.Type, a.Accredited ? "accredited" : "withdrawn", Output.Time(a.Periods[^1].From) }));
                Output.Rows("open proposals", ["proposal", "action", "issuer", "type", "approvals"], registry.Proposals.Where(p => p.EnactedAt is null).Select(p => new[]
                    { p.Id, p.Action, p.Issuer, p.Type, string.Join(", ", p.Approvals) }));
                return 0;
            });
        return new Command("issuer", "The trust registry: accredit issuers per credential type by a governance quorum.")
            .With(Change("propose", AccreditAction.Accredit, "Propose to accredit an issuer DID for a credential type (an admin of a validating organisation; counts as its approval).\nExample: thingledger id issuer propose did:thingledger:tl… --type ResidentCredential --as voltmotors-admin"),
                Change("withdraw", AccreditAction.Withdraw, "Propose to withdraw an issuer's accreditation for a type; what it issued before stays valid.\nExample: thingledger id issuer withdraw did:thingledger:tl… --type ResidentCredential --as voltmotors-admin"),
                approve, list);
    }

    private static Command Schema()
    {
        var type = new Argument<string>("type") { Description = "Credential type: letters and digits, starting with a capital (ResidentCredential)" };
        var title = new Option<string>("--title") { Description = "What the credential is, for people", Required = true };
        var claims = new Option<string>("--claims") { Description = "Comma-separated disclosable claims (each its own selective disclosure)", Required = true };
        var fixedClaims = new Option<string>("--fixed") { Description = "Comma-separated claims always visible in the credential" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var register = new Command("register", "Register a credential type's schema (an admin of a member organisation); it never changes.\nExample: thingledger id schema register ResidentCredential --title \"Resident of the county\" --claims given_name,family_name,birthdate,age_over_18,id_number --fixed resident_of --as voltmotors-admin")
            .With(type, title, claims, fixedClaims, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                SchemaClaim[] all = [.. Split(parse.GetValue(claims)).Select(c => new SchemaClaim(c, true)), .. Split(parse.GetValue(fixedClaims)).Select(c => new SchemaClaim(c, false))];
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.RegisterCredentialSchema(parse.GetValue(type)!, parse.GetValue(title)!, all), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
        var showType = new Argument<string>("type") { Description = "Credential type" };
        var show = new Command("show", "A credential type's schema.\nExample: thingledger id schema show ResidentCredential").With(showType)
            .Runs(async (parse, cli, ct) =>
            {
                var schema = await cli.Client.GetCredentialSchemaAsync(parse.GetValue(showType)!, ct).ConfigureAwait(false)
                    ?? throw new ArgumentException($"no schema for credential type '{parse.GetValue(showType)}' (thingledger id schema list)");
                if (cli.Json)
                {
                    Output.Json(schema);
                    return 0;
                }
                Output.Fields(schema.Type, ("title", schema.Title), ("registered by", schema.Org), ("registered", Output.Time(schema.Registered)),
                    ("disclosable", string.Join(", ", schema.Claims.Where(c => c.Disclosable).Select(c => c.Name))),
                    ("fixed", string.Join(", ", schema.Claims.Where(c => !c.Disclosable).Select(c => c.Name))));
                return 0;
            });
        var list = new Command("list", "Every registered credential schema.\nExample: thingledger id schema list").Runs(async (_, cli, ct) =>
        {
            var schemas = (await cli.Client.GetTrustRegistryAsync(ct).ConfigureAwait(false)).Schemas;
            if (cli.Json)
            {
                Output.Json(schemas);
                return 0;
            }
            Output.Rows("credential schemas", ["type", "title", "claims", "by"], schemas.Select(s => new[]
                { s.Type, s.Title, string.Join(", ", s.Claims.Select(c => c.Disclosable ? c.Name : c.Name + " (fixed)")), s.Org }));
            return 0;
        });
        return new Command("schema", "Credential schemas: a type and its claims, each disclosable or fixed.").With(register, show, list);
    }

    private static Command Status()
    {
        var name = new Argument<string>("name") { Description = "List name (a-z, 0-9, '-')" };
        var issuer = new Option<string>("--issuer") { Description = "The issuer's DID (or address, or key name)", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "revocation (final) or suspension (can be cleared)", Required = true };
        var size = new Option<uint>("--size") { Description = "Entries: a multiple of 131072, up to 16777216", DefaultValueFactory = _ => CredentialRules.PageEntries };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var create = new Command("create", "Create a status list of an issuer DID (signed by a controller).\nExample: thingledger id status create revocation --issuer did:thingledger:tl… --purpose revocation --size 1048576 --as county-office")
            .With(name, issuer, purpose, size, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var p = parse.GetValue(purpose) switch
                {
                    "revocation" => StatusPurpose.Revocation,
                    "suspension" => StatusPurpose.Suspension,
                    var other => throw new FormatException($"--purpose '{other}': use revocation or suspension"),
                };
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.CreateStatusList(AddressOf(cli, parse.GetValue(issuer)!), parse.GetValue(name)!, p, parse.GetValue(size)),
                    parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
        var list = new Argument<string>("list") { Description = "The list's DID URL (did:thingledger:tl…/status/name)" };
        var show = new Command("show", "A status list: purpose, size and how many entries are set.\nExample: thingledger id status show did:thingledger:tl…/status/revocation")
            .With(list)
            .Runs(async (parse, cli, ct) =>
            {
                var view = await cli.Client.GetStatusListAsync(parse.GetValue(list)!, cancellationToken: ct).ConfigureAwait(false)
                    ?? throw new ArgumentException($"no status list {parse.GetValue(list)}");
                if (cli.Json)
                {
                    Output.Json(view);
                    return 0;
                }
                Output.Fields(view.List, ("issuer", view.Issuer), ("purpose", view.Purpose), ("entries", view.Size.ToString("N0", CultureInfo.InvariantCulture)),
                    ("set", view.Set.ToString("N0", CultureInfo.InvariantCulture)), ("updated", Output.Time(view.Updated)), ("as of block", view.Height));
                return 0;
            });
        return new Command("status", "Bitstring status lists: create, show; suspend and reinstate a credential.")
            .With(create, show, StatusChange("suspend", StatusPurpose.Suspension, true, "Suspend a credential (its suspension entry set).\nExample: thingledger id status suspend resident.sd-jwt --as county-office"),
                StatusChange("reinstate", StatusPurpose.Suspension, false, "Lift a credential's suspension.\nExample: thingledger id status reinstate resident.sd-jwt --as county-office"));
    }

    private static Argument<string> DidArgument() => new("did") { Description = "A DID (did:thingledger:tl…), an address, or a key name" };

    /// <summary>A DID given as a DID, an address, or a key name.</summary>
    private static Address AddressOf(CliContext cli, string value) =>
        CredentialRules.TryParseDid(value, out var address) ? address : value.StartsWith("did:", StringComparison.Ordinal)
            ? throw new FormatException($"'{value}' is not a did:thingledger DID (did:thingledger:tl + 48 hex digits)")
            : cli.ResolveAddress(value);

    private static string DidOf(CliContext cli, string value) => CredentialRules.Did(AddressOf(cli, value));

    private static DidMethod[] Methods(CliContext cli, string[]? specs) => [.. (specs ?? []).Select(spec =>
    {
        var eq = spec.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new FormatException($"--key '{spec}': use fragment=key, e.g. key-2=office-key or key-2=office-key:assertionMethod");
        }
        var rest = spec[(eq + 1)..];
        var purposes = DidPurposes.All;
        var colon = rest.LastIndexOf(':');
        if (colon > 0 && rest[(colon + 1)..] is "authentication" or "assertionMethod")
        {
            purposes = rest[(colon + 1)..] == "authentication" ? DidPurposes.Authentication : DidPurposes.AssertionMethod;
            rest = rest[..colon];
        }
        return new DidMethod(spec[..eq], cli.ResolvePublicKey("--key", rest), purposes);
    })];

    private static DidService[] Services(string[]? specs) => [.. (specs ?? []).Select(spec =>
    {
        var parts = spec.Split('=', 3);
        return parts.Length == 3 ? new DidService(parts[0], parts[1], parts[2]) : throw new FormatException($"--service '{spec}': use fragment=Type=https://endpoint");
    })];

    private static Address[] Controllers(CliContext cli, string[]? values) => [.. (values ?? []).Select(cli.ResolveAddress)];

    private static string[] Split(string? csv) => [.. (csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>The credentials module's commands.</summary>
internal sealed class CredentialsCli : CliModule
{
    public override string Module => CredentialsNames.ModuleName;

    public override IEnumerable<Command> Commands() => [CredentialsCommands.Create()];
}
