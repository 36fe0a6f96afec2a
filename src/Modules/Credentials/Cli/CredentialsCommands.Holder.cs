using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Client.Credentials;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Credentials;

namespace ThingLedger.Cli.Commands;

/// <summary>id issue|wallet|present|trust|verify|revoke, and status suspend|reinstate: credentials off chain, with the status changes that go on it.</summary>
internal static partial class CredentialsCommands
{
    private static Command Issue()
    {
        var type = new Option<string>("--type") { Description = "Credential type (a registered schema)", Required = true };
        var issuer = new Option<string>("--issuer") { Description = "The issuer's DID (default: the DID of the --as key)" };
        var kid = new Option<string>("--kid") { Description = "The issuer's verification method to sign with", DefaultValueFactory = _ => "key-1" };
        var signer = CommonOptions.As();
        var holder = new Option<string>("--holder") { Description = "The holder's public key (a key name, hex public key or PEM file): only it can present the credential", Required = true };
        var claims = new Option<string[]>("--claim") { Description = "A claim, name=value (true/false are booleans, anything else text); name:=JSON for a number or object" };
        var days = new Option<int>("--valid-days") { Description = "How long it is valid, from now", DefaultValueFactory = _ => 365 };
        var revocation = new Option<string>("--revocation-list") { Description = "The issuer's revocation list to give it an entry in (none: not revocable)" };
        var suspension = new Option<string>("--suspension-list") { Description = "The issuer's suspension list to give it an entry in" };
        var output = new Option<string>("--out", "-o") { Description = "Write the credential to this file (default: print it)" };
        return new Command("issue", "Issue an SD-JWT VC to a holder, signed by a key of the issuer's DID; each disclosable claim is its own disclosure. Nothing of it goes on chain.\n" +
                "Example: thingledger id issue --type ResidentCredential --as county-office --holder mei --claim given_name=Mei --claim age_over_18=true --claim resident_of=Lishui --revocation-list revocation --out mei-resident.sd-jwt")
            .With(type, issuer, kid, signer, holder, claims, days, revocation, suspension, output)
            .Runs(async (parse, cli, ct) =>
            {
                using var key = cli.Keys.Load(parse.GetValue(signer)!);
                var issuerAddress = parse.GetValue(issuer) is { } i ? AddressOf(cli, i) : key.Address;
                var did = CredentialRules.Did(issuerAddress);
                var view = await cli.Client.GetDidAsync(did, ct).ConfigureAwait(false) ?? throw new ArgumentException($"{did} does not exist: create it first (thingledger id did create --as …)");
                var method = view.Keys.FirstOrDefault(k => k.Id == $"{did}#{parse.GetValue(kid)}" && k.Removed is null && k.Purposes.Contains("assertionMethod"))
                    ?? throw new ArgumentException($"{did}#{parse.GetValue(kid)} is not a current assertion key of the issuer");
                if (method.Address != key.Address.ToString())
                {
                    throw new ArgumentException($"the --as key is not {did}#{parse.GetValue(kid)}: a credential it signed would not verify");
                }
                var schemaView = await cli.Client.GetCredentialSchemaAsync(parse.GetValue(type)!, ct).ConfigureAwait(false)
                    ?? throw new ArgumentException($"no schema for credential type '{parse.GetValue(type)}' (thingledger id schema list)");
                var schema = new SchemaPayload(schemaView.Type, schemaView.Title, [.. schemaView.Claims.Select(c => new SchemaClaim(c.Name, c.Disclosable))]);
                var values = Claims(parse.GetValue(claims));
                var status = new List<StatusEntry>();
                foreach (var (option, purpose) in new[] { (revocation, StatusPurpose.Revocation), (suspension, StatusPurpose.Suspension) })
                {
                    if (parse.GetValue(option) is { } name)
                    {
                        status.Add(await AllocateAsync(cli, issuerAddress, name, purpose, ct).ConfigureAwait(false));
                    }
                }
                var now = DateTimeOffset.UtcNow;
                var credential = CredentialIssuer.Issue(new CredentialRequest(schema.Type, issuerAddress, parse.GetValue(kid)!, cli.ResolvePublicKey("--holder", parse.GetValue(holder)!),
                    values, now, now.AddDays(parse.GetValue(days)), status), schema, key, now);
                if (parse.GetValue(output) is { } path)
                {
                    File.WriteAllText(path, credential + Environment.NewLine);
                    CliRunner.Success($"issued a {schema.Type} ({values.Count} claims, {status.Count} status entries) to {path}; hand it to the holder (thingledger id wallet add {path} --holder …)");
                }
                else
                {
                    Console.WriteLine(credential);
                }
                return 0;
            });
    }

    private static Command Wallet()
    {
        var file = new Argument<string>("credential") { Description = "A file holding the credential (SD-JWT)" };
        var holder = new Option<string>("--holder") { Description = "The name of your key in the key store the credential is bound to", Required = true };
        var add = new Command("add", "Keep a credential in your wallet (<data>/wallet), checked to be bound to your key.\nExample: thingledger id wallet add mei-resident.sd-jwt --holder mei")
            .With(file, holder)
            .Runs((parse, cli, _) =>
            {
                using var key = cli.Keys.Load(parse.GetValue(holder)!);
                var entry = WalletOf(cli).Add(File.ReadAllText(parse.GetValue(file)!), parse.GetValue(holder)!, key.PublicKey, DateTimeOffset.UtcNow);
                if (cli.Json)
                {
                    Output.Json(entry);
                }
                else
                {
                    CliRunner.Success($"{entry.Id}: a {entry.Type} from {entry.Issuer}, claims {string.Join(", ", entry.Claims)}");
                }
                return Task.FromResult(0);
            });
        var list = new Command("list", "The credentials in your wallet.\nExample: thingledger id wallet list").Runs((_, cli, _) =>
        {
            var entries = WalletOf(cli).List();
            if (cli.Json)
            {
                Output.Json(entries);
            }
            else
            {
                Output.Rows("wallet", ["id", "type", "issuer", "holder key", "valid until", "claims"], entries.Select(e => new[]
                    { e.Id, e.Type, e.Issuer, e.HolderKey, e.ValidUntil is { } u ? CredentialIssuer.Rfc3339(u) : null, string.Join(", ", e.Claims) }));
            }
            return Task.FromResult(0);
        });
        var id = new Argument<string>("id") { Description = "The credential's id in the wallet (or its first digits), or a credential type you hold one of" };
        var show = new Command("show", "One credential of your wallet, with every claim it holds (shown to you only).\nExample: thingledger id wallet show 3f9a").With(id)
            .Runs((parse, cli, _) =>
            {
                var entry = WalletOf(cli).Get(parse.GetValue(id)!);
                using var parsed = ParsedCredential.TryParse(entry.Credential, out var problem) ?? throw new FormatException($"wallet entry {entry.Id} is damaged: {problem}");
                if (cli.Json)
                {
                    Output.Json(entry);
                    return Task.FromResult(0);
                }
                Output.Fields($"{entry.Type} {entry.Id}", ("issuer", entry.Issuer), ("issued", CredentialIssuer.Rfc3339(DateTimeOffset.FromUnixTimeSeconds(parsed.IssuedAt))),
                    ("valid from", CredentialIssuer.Rfc3339(parsed.ValidFrom)), ("valid until", parsed.ValidUntil is { } u ? CredentialIssuer.Rfc3339(u) : null), ("holder key", entry.HolderKey),
                    ("status", string.Join(", ", parsed.Status.Select(s => s.Id))));
                Output.Rows("claims", ["claim", "value", "shown"], parsed.Disclosed.Select(d => new[] { d.Name, d.Value.GetRawText(), "when you disclose it" })
                    .Concat(parsed.Fixed.Select(f => new[] { f.Key, f.Value.GetRawText(), "always" })));
                return Task.FromResult(0);
            });
        return new Command("wallet", "Your credentials, kept in <data>/wallet.").With(add, list, show);
    }

    private static Command Present()
    {
        var credential = new Argument<string>("credential") { Description = "A wallet id (or its first digits), a credential type you hold one of, or a credential file" };
        var claims = new Option<string>("--claims") { Description = "Comma-separated claims to disclose (fixed claims are always shown)", Required = true };
        var nonce = new Option<string>("--nonce") { Description = "The verifier's nonce", Required = true };
        var audience = new Option<string>("--audience") { Description = "The verifier's name (its identifier)", Required = true };
        var holder = new Option<string>("--as") { Description = "Your key (default: the wallet entry's holder key)" };
        var output = new Option<string>("--out", "-o") { Description = "Write the presentation to this file (default: print it)" };
        return new Command("present", "Build a presentation disclosing only the claims a verifier asks for, bound to its nonce and audience by your key.\n" +
                "Example: thingledger id present 3f9a --claims age_over_18 --nonce 8c1e --audience grand-hotel --out for-hotel.sd-jwt")
            .With(credential, claims, nonce, audience, holder, output)
            .Runs((parse, cli, _) =>
            {
                var given = parse.GetValue(credential)!;
                string text;
                string? keyName = parse.GetValue(holder);
                if (File.Exists(given))
                {
                    text = File.ReadAllText(given);
                }
                else
                {
                    var entry = WalletOf(cli).Get(given);
                    text = entry.Credential;
                    keyName ??= entry.HolderKey;
                }
                using var key = cli.Keys.Load(keyName ?? throw new ArgumentException("--as: name the holder key the credential is bound to"));
                var presentation = CredentialPresenter.Present(text, Split(parse.GetValue(claims)), key, parse.GetValue(nonce)!, parse.GetValue(audience)!, DateTimeOffset.UtcNow);
                if (parse.GetValue(output) is { } path)
                {
                    File.WriteAllText(path, presentation + Environment.NewLine);
                    CliRunner.Success($"presentation for {parse.GetValue(audience)} written to {path}");
                }
                else
                {
                    Console.WriteLine(presentation);
                }
                return Task.FromResult(0);
            });
    }

    private static Command Trust()
    {
        var presentation = new Argument<string>("credential") { Description = "A presentation or credential file of the issuer, type and status lists to trust" };
        var output = new Option<string>("--out", "-o") { Description = "Write the trust bundle to this file", Required = true };
        return new Command("trust", "Fetch the proven chain state a verifier needs for such credentials (issuer DID and key, schema, accreditation, status pages) as a proof bundle, to verify offline.\n" +
                "Example: thingledger id trust for-hotel.sd-jwt --out trust.json && thingledger id verify for-hotel.sd-jwt --trust trust.json --nonce 8c1e --audience grand-hotel")
            .With(presentation, output)
            .Runs(async (parse, cli, ct) =>
            {
                using var parsed = ParsedCredential.TryParse(File.ReadAllText(parse.GetValue(presentation)!), out var problem) ?? throw new FormatException($"{CredentialsErrors.VcMalformed}: {problem}");
                var bundle = await cli.Client.GetTrustBundleAsync(TrustRequest.For(parsed), ct).ConfigureAwait(false);
                File.WriteAllText(parse.GetValue(output)!, bundle.ToJson());
                CliRunner.Success($"{bundle.Proofs.Count} state proofs at block {bundle.Proofs[0].Height} written to {parse.GetValue(output)}");
                return 0;
            });
    }

    private static Command Verify()
    {
        var presentation = new Argument<string>("presentation") { Description = "The presentation file ('-' reads standard input)" };
        var nonce = new Option<string>("--nonce") { Description = "The nonce you gave the holder", Required = true };
        var audience = new Option<string>("--audience") { Description = "Your name as the holder was told it", Required = true };
        var claims = new Option<string>("--claims") { Description = "Comma-separated claims you need disclosed" };
        var type = new Option<string>("--type") { Description = "The credential type you accept" };
        var trust = new Option<string>("--trust") { Description = "A trust bundle (thingledger id trust) to verify offline; default: fetch a fresh one from the node" };
        var genesis = new Option<string>("--genesis") { Description = "The genesis you trust (default: <data>/genesis.json)" };
        return new Command("verify", "Verify a presentation: issuer signature, disclosures, schema, accreditation at issuance, validity, status, holder binding, nonce and audience — against chain state proven to the genesis.\n" +
                "Example: thingledger id verify for-hotel.sd-jwt --nonce 8c1e --audience grand-hotel --claims age_over_18,resident_of")
            .With(presentation, nonce, audience, claims, type, trust, genesis)
            .Runs(async (parse, cli, ct) =>
            {
                var file = parse.GetValue(presentation)!;
                var text = file == "-" ? await Console.In.ReadToEndAsync(ct).ConfigureAwait(false) : File.ReadAllText(file);
                var genesisPath = parse.GetValue(genesis) ?? Node.DataDirectory.GenesisPath(cli.DataDirectory);
                if (!File.Exists(genesisPath))
                {
                    throw new FileNotFoundException($"genesis file {genesisPath} not found (pass --genesis)");
                }
                var trusted = Genesis.Parse(File.ReadAllText(genesisPath));
                var request = new PresentationRequest(parse.GetValue(nonce)!, parse.GetValue(audience)!, Split(parse.GetValue(claims)), parse.GetValue(type));
                PresentationResult result;
                if (parse.GetValue(trust) is { } path)
                {
                    var state = TrustState.TryVerify(ProofBundle.Parse(File.ReadAllText(path)), trusted, out var broken);
                    result = state is null
                        ? PresentationResult.Failed(CredentialsErrors.VcTrustInvalid, $"the trust bundle {path} does not verify against {genesisPath}: {broken}", null)
                        : PresentationVerifier.Verify(text, request, state, DateTimeOffset.UtcNow);
                }
                else
                {
                    result = await cli.Client.VerifyPresentationAsync(text, request, trusted, DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                }
                return Report(cli, result);
            });
    }

    private static int Report(CliContext cli, PresentationResult result)
    {
        if (cli.Json)
        {
            Output.Json(result);
        }
        else if (result.Ok)
        {
            CliRunner.Success($"{result.Message}, issued {CredentialIssuer.Rfc3339(result.IssuedAt!.Value)}; status as of block {result.TrustHeight} ({Output.Time(result.TrustTime)})");
            Output.Rows("disclosed", ["claim", "value"], result.Claims.Select(c => new[] { c.Key, c.Value.GetRawText() }));
        }
        else
        {
            CliRunner.Error($"{result.Code}: {result.Message}");
        }
        return result.Ok ? 0 : CliRunner.Refused;
    }

    private static Command Revoke() =>
        StatusChange("revoke", StatusPurpose.Revocation, true, "Revoke a credential for good: its revocation entry is set on chain, and every verifier sees it once the block is final.\nExample: thingledger id revoke mei-resident.sd-jwt --as county-office");

    private static Command StatusChange(string name, StatusPurpose purpose, bool value, string description)
    {
        var credential = new Argument<string>("credential") { Description = "The credential (or a presentation of it) as a file" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(name, description).With(credential, signer, noWait).Runs(async (parse, cli, ct) =>
        {
            using var parsed = ParsedCredential.TryParse(File.ReadAllText(parse.GetValue(credential)!), out var problem) ?? throw new FormatException($"{CredentialsErrors.VcMalformed}: {problem}");
            var entry = parsed.Status.FirstOrDefault(s => s.Purpose == purpose)
                ?? throw new ArgumentException($"the credential has no {StatusListPayload.PurposeName(purpose)} entry: it was issued without a {StatusListPayload.PurposeName(purpose)} list");
            _ = CredentialRules.TryParseStatusListUrl(entry.List, out var issuer, out var list);
            var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
            return (await cli.SubmitAsync(account, Operations.SetCredentialStatus(issuer, list, [entry.Index], value), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
        });
    }

    private static Command Check()
    {
        var verifier = new Option<string>("--verifier") { Description = "Who checks (its name or DID)", Required = true };
        var type = new Option<string>("--type") { Description = "The credential type it checks", Required = true };
        var purpose = new Option<string>("--purpose") { Description = "What for (check-in, account-opening, …)", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("check", "Record on chain, as a commitment only, that you let a verifier check a credential of yours for a purpose; you keep what it hides (<data>/wallet/checks.jsonl).\n" +
                "Example: thingledger id check --verifier grand-hotel --type ResidentCredential --purpose check-in --as mei")
            .With(verifier, type, purpose, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                if (!Identifiers.IsText(parse.GetValue(verifier), 200) || !CredentialRules.IsType(parse.GetValue(type)) || !Identifiers.IsLabel(parse.GetValue(purpose)))
                {
                    throw new FormatException("--verifier is text (no control characters, at most 200), --type a credential type, --purpose a label (letters, digits, '.', '_', ':', '-')");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var check = ChecksOf(cli).Keep(parse.GetValue(verifier)!, parse.GetValue(type)!, parse.GetValue(purpose)!, account.Address, DateTimeOffset.UtcNow);
                return (await cli.SubmitAsync(account, Operations.RecordAccess(Execution.Modules.AccessLogs.AccessCommitments.CredentialCheck, Hash.Parse(check.Commitment)),
                    parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Checks()
    {
        var subject = new Option<string>("--as") { Description = "Whose log (your key name, or an address)", Required = true };
        return new Command("checks", "Your access log on chain, each entry beside the check you kept that it commits to: who checked what, when, why.\nExample: thingledger id checks --as mei")
            .With(subject)
            .Runs(async (parse, cli, ct) =>
            {
                var address = cli.ResolveAddress(parse.GetValue(subject)!);
                var kept = ChecksOf(cli).List();
                var log = await cli.Client.GetAccessLogAsync(address, ct).ConfigureAwait(false);
                var rows = log.Select(e =>
                {
                    var commitment = Hash.Parse(e.Commitment);
                    var mine = kept.FirstOrDefault(k => k.Matches(commitment));
                    return new Client.Contracts.CredentialCheckView(e.Entry, e.Kind, e.Commitment, e.Time, e.Height, mine?.Verifier, mine?.Type, mine?.Purpose, mine is not null);
                }).ToList();
                if (cli.Json)
                {
                    Output.Json(rows);
                    return 0;
                }
                Output.Rows($"access log of {address}", ["entry", "when", "kind", "verifier", "type", "purpose"], rows.Select(r => new[]
                    { r.Entry.ToString(CultureInfo.InvariantCulture), Output.Time(r.Time), r.Kind, r.Verifier ?? "(not kept here)", r.Type, r.Purpose }));
                return 0;
            });
    }

    private static CredentialChecks ChecksOf(CliContext cli) => new(Path.Combine(cli.DataDirectory, "wallet", "checks.jsonl"));

    private static CredentialWallet WalletOf(CliContext cli) => new(Path.Combine(cli.DataDirectory, "wallet"));

    private static Dictionary<string, JsonElement> Claims(string[]? specs)
    {
        var claims = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var spec in specs ?? [])
        {
            var eq = spec.IndexOf('=', StringComparison.Ordinal);
            var json = eq > 0 && spec[eq - 1] == ':';
            var name = eq <= 0 ? "" : spec[..(json ? eq - 1 : eq)];
            if (!CredentialRules.IsClaimName(name) || !SdJwt.TryValue(spec[(eq + 1)..], json, out var value))
            {
                throw new FormatException($"--claim '{spec}': use name=value (or name:=JSON), name of a-z, 0-9 and '_'");
            }
            if (!claims.TryAdd(name, value))
            {
                throw new FormatException($"--claim '{name}' is given twice");
            }
        }
        return claims;
    }

    /// <summary>An unused entry of the issuer's list, recorded in <c>{data}/issued/</c> before the credential is written (<see cref="IssuedEntries"/>).</summary>
    private static async Task<StatusEntry> AllocateAsync(CliContext cli, Address issuer, string name, StatusPurpose purpose, CancellationToken ct)
    {
        var url = CredentialRules.StatusListUrl(issuer, name);
        var list = await cli.Client.GetStatusListAsync(url, cancellationToken: ct).ConfigureAwait(false)
            ?? throw new ArgumentException($"no status list {url}: create it first (thingledger id status create {name} --issuer … --purpose {StatusListPayload.PurposeName(purpose)} --as …)");
        if (list.Purpose != StatusListPayload.PurposeName(purpose))
        {
            throw new ArgumentException($"{url} is a {list.Purpose} list, not a {StatusListPayload.PurposeName(purpose)} list");
        }
        return new StatusEntry(url, purpose, new IssuedEntries(Path.Combine(cli.DataDirectory, "issued")).Allocate(issuer, name, list.Size));
    }
}
