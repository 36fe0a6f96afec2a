using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Carbon;

namespace ThingLedger.Cli.Commands;

/// <summary>carbon methodology|claim|verify|reject|retire|claims|registry (docs/CREDITS.md §3).</summary>
internal static class CarbonCommands
{
    public static Command Create() =>
        new Command("carbon", "Carbon credits for electric vehicles: methodologies, claims, verification, retirement and the registry. Credits are counted in grams (shown in tonnes).")
            .With(RegisterMethodology(), Decision(CarbonModule.Claim), Decision(CarbonModule.Verify), Decision(CarbonModule.Reject), Retire(), Claims(), Registry());

    private static Command RegisterMethodology()
    {
        var id = new Option<string>("--id") { Description = "2-8 capital letters; credits are the tokens C<id><period>", Required = true };
        var name = new Option<string>("--name") { Description = "Display name", Required = true };
        var schema = new Option<string>("--schema") { Description = "The telemetry schema read (needs distance_km and energy_kwh)", DefaultValueFactory = _ => "ev@1" };
        var baselines = new Option<string[]>("--baseline") { Description = "class=gCO2/km for vehicles whose `class` metadata is that class (repeatable)", Required = true };
        var grids = new Option<string[]>("--grid") { Description = "region=gCO2/kWh, or region@period=gCO2/kWh from that period on, for the `region` metadata (repeatable)", Required = true };
        var start = new Option<string>("--start") { Description = "First day of period 0 (yyyy-MM-dd, UTC)", Required = true };
        var periodDays = new Option<ushort>("--period-days") { Description = "Days per crediting period (1-366)", DefaultValueFactory = _ => 30 };
        var periods = new Option<ushort>("--periods") { Description = "Number of crediting periods (1-1000)", DefaultValueFactory = _ => 12 };
        var verifier = new Option<string>("--verifier") { Description = "The organisation whose auditors co-sign issuance (not your own)", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("methodology", "Register a carbon methodology for your organisation (admin).\n" +
                "Example: thingledger carbon methodology --id EVLC --name \"Low-carbon EV driving\" --baseline car=120 --baseline van=190 " +
                "--grid eu-north=250 --start 2026-11-01 --period-days 1 --periods 365 --verifier gridco --as voltmotors-admin")
            .With(id, name, schema, baselines, grids, start, periodDays, periods, verifier, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (schemaId, schemaVersion) = ParseSchemaRef(parse.GetValue(schema)!);
                var methodology = new Methodology(parse.GetValue(id)!, parse.GetValue(name)!, schemaId, schemaVersion,
                    [.. (parse.GetValue(baselines) ?? []).Select(ParseBaseline).OrderBy(b => b.VehicleClass, StringComparer.Ordinal)],
                    [.. (parse.GetValue(grids) ?? []).Select(ParseGridFactor).OrderBy(f => f.Region, StringComparer.Ordinal).ThenBy(f => f.FromPeriod)],
                    ParseDay(parse.GetValue(start)!), parse.GetValue(periodDays), parse.GetValue(periods), parse.GetValue(verifier)!);
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.RegisterMethodology(methodology), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    /// <summary>claim, verify and reject name the same thing: one vehicle in one period of a methodology.</summary>
    private static Command Decision(string verb)
    {
        var methodology = new Argument<string>("methodology") { Description = "Methodology id" };
        var vehicle = new Argument<string>("vehicle") { Description = "The vehicle's device id (tl…)" };
        var period = new Argument<ushort>("period") { Description = "Crediting period index (0 = the first)" };
        var note = new Option<string>(verb == CarbonModule.Reject ? "--reason" : "--note")
        {
            Description = verb == CarbonModule.Reject ? "Why the claim is rejected" : "The verifier's note",
            Required = verb == CarbonModule.Reject,
        };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var (description, example) = verb switch
        {
            CarbonModule.Claim => ("Claim a vehicle's credits for a period that is over (an admin or operator of the custodian organisation). Execution computes the grams from the anchored, unflagged data.",
                "thingledger carbon claim EVLC tl1f… 3 --as voltmotors-admin"),
            CarbonModule.Verify => ("Co-sign a pending claim as an auditor of the methodology's verifier organisation: the credits are minted to the vehicle's owner.",
                "thingledger carbon verify EVLC tl1f… 3 --note \"checked against anchors\" --as gridco-admin"),
            _ => ("Reject a pending claim as an auditor of the verifier organisation; the vehicle-period can never be claimed again.",
                "thingledger carbon reject EVLC tl1f… 3 --reason \"odometer does not match service record\" --as gridco-admin"),
        };
        var command = new Command(verb, $"{description}\nExample: {example}").With(methodology, vehicle, period, signer, noWait);
        if (verb != CarbonModule.Claim)
        {
            command.Options.Add(note);
        }
        return command.Runs(async (parse, cli, ct) =>
        {
            var (m, v, p, text) = (parse.GetValue(methodology)!, cli.ResolveAddress(parse.GetValue(vehicle)!), parse.GetValue(period), parse.GetValue(note) ?? string.Empty);
            var operation = verb switch
            {
                CarbonModule.Claim => Operations.ClaimCredits(m, v, p),
                CarbonModule.Verify => Operations.VerifyClaim(m, v, p, text),
                _ => Operations.RejectClaim(m, v, p, text),
            };
            var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
            var (code, _) = await cli.SubmitAsync(account, operation, parse.GetValue(noWait), ct).ConfigureAwait(false);
            if (code == 0 && !cli.Json && !parse.GetValue(noWait) && await cli.Client.GetCarbonClaimAsync(m, v, p, ct).ConfigureAwait(false) is { } claim)
            {
                Console.WriteLine($"{claim.Status.Text()}: {Tonnes(claim.Grams)} t CO2e ({claim.Grams} g) of {claim.Symbol} for {claim.Metres / 1000.0:0.###} km, " +
                    $"{Days(claim)}, owner {claim.Owner}");
            }
            return code;
        });
    }

    private static Command Retire()
    {
        var symbol = new Argument<string>("symbol") { Description = "Credit token, e.g. CEVLC3" };
        var grams = new Argument<string>("grams") { Description = "Amount in grams (1 t = 1000000)" };
        var beneficiary = new Option<string>("--beneficiary") { Description = "On whose behalf the credits are retired", Required = true };
        var reason = new Option<string>("--reason") { Description = "What the retirement offsets", DefaultValueFactory = _ => string.Empty };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("retire", "Retire (burn) credits you hold, leaving a public retirement record.\n" +
                "Example: thingledger carbon retire CEVLC3 250000 --beneficiary \"Acme Logistics\" --reason \"2026 fleet emissions\" --as alice")
            .With(symbol, grams, beneficiary, reason, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var text = parse.GetValue(grams)!;
                if (!UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount == UInt128.Zero)
                {
                    throw new FormatException($"'{text}' is not a whole number of grams above zero");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.RetireCredits(parse.GetValue(symbol)!, amount, parse.GetValue(beneficiary)!, parse.GetValue(reason)!),
                    parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Claims()
    {
        var methodology = new Argument<string>("methodology") { Description = "Methodology id" };
        var vehicle = new Option<string>("--vehicle") { Description = "Only this vehicle's claims (device id)" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 50 };
        var after = new Option<string>("--after") { Description = "Continue after this cursor (printed as 'next')" };
        return new Command("claims", "A methodology's claims: pending, issued and rejected.\nExample: thingledger carbon claims EVLC").With(methodology, vehicle, limit, after)
            .Runs(async (parse, cli, ct) =>
            {
                Address? v = parse.GetValue(vehicle) is { } text ? cli.ResolveAddress(text) : null;
                var page = await cli.Client.GetCarbonClaimsAsync(parse.GetValue(methodology)!, v, parse.GetValue(after), parse.GetValue(limit), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(page);
                    return 0;
                }
                Output.Rows($"claims of {parse.GetValue(methodology)}", ["vehicle", "period", "days", "status", "km", "kWh", "t CO2e", "owner"],
                    page.Items.Select(c => new[]
                    {
                        c.Vehicle, Text(c.Period), Days(c), c.Status.Text(), (c.Metres / 1000.0).ToString("0.0", CultureInfo.InvariantCulture),
                        (c.EnergyWh / 1000.0).ToString("0.0", CultureInfo.InvariantCulture), Tonnes(c.Grams), c.Owner,
                    }));
                if (page.Next is not null)
                {
                    Console.WriteLine($"next: --after {page.Next}");
                }
                return 0;
            });
    }

    private static Command Registry() =>
        new Command("registry", "The credit registry: methodologies, credit tokens (issued, retired, outstanding), issuance, holders and the latest retirements.\n" +
                "Example: thingledger carbon registry")
            .Runs(async (_, cli, ct) =>
            {
                var registry = await LoadRegistryAsync(cli.Client, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(registry);
                    return 0;
                }
                Output.Rows("credits", ["token", "methodology", "vintage", "issued t", "retired t", "outstanding t"],
                    registry.Credits.Select(c => new[] { c.Symbol, c.Methodology, Text(c.Vintage), Tonnes(c.Issued), Tonnes(c.Retired), Tonnes(c.Outstanding) }));
                Output.Rows("issuance", ["token", "vehicle", "days", "t CO2e", "owner"],
                    registry.Issuance.Select(c => new[] { c.Symbol, c.Vehicle, Days(c), Tonnes(c.Grams), c.Owner }));
                Output.Rows("holders", ["token", "holder", "t CO2e"], registry.Holders.Select(h => new[] { h.Symbol, h.Address, Tonnes(h.Balance) }));
                Output.Rows("retirements", ["#", "token", "t CO2e", "beneficiary", "reason", "block"],
                    registry.Retirements.Select(r => new[] { Text(r.Number), r.Symbol, Tonnes(r.Grams), r.Beneficiary, r.Reason, Text(r.Height) }));
                return 0;
            });

    /// <summary>The registry as the node serves it in parts: at most 200 issued claims and holders per token, the latest 50 retirements.</summary>
    public static async Task<CarbonRegistryView> LoadRegistryAsync(ThingLedgerClient client, CancellationToken ct)
    {
        var credits = await client.GetCreditsAsync(ct).ConfigureAwait(false);
        var issuance = new List<CarbonClaimView>();
        foreach (var m in await client.GetMethodologiesAsync(ct).ConfigureAwait(false))
        {
            var claims = await client.GetCarbonClaimsAsync(m.Id, limit: 200, cancellationToken: ct).ConfigureAwait(false);
            issuance.AddRange(claims.Items.Where(c => c.Status == ClaimStatus.Issued));
        }
        var holders = new List<BalanceView>();
        foreach (var credit in credits)
        {
            holders.AddRange((await client.GetHoldersAsync(credit.Symbol, limit: 200, cancellationToken: ct).ConfigureAwait(false)).Items);
        }
        var retirements = await client.GetRetirementsAsync(limit: 50, cancellationToken: ct).ConfigureAwait(false);
        return new CarbonRegistryView(credits, issuance, holders, retirements.Items);
    }

    public static string Tonnes(ulong grams) => CarbonModule.Tonnes(grams);

    private static string Tonnes(string grams) =>
        UInt128.TryParse(grams, NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? CarbonModule.Tonnes(g) : grams;

    private static string Days(CarbonClaimView c) => c.FirstDay == c.LastDay ? c.FirstDay : $"{c.FirstDay}…{c.LastDay}";

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static (string Id, ushort Version) ParseSchemaRef(string text)
    {
        var at = text.LastIndexOf('@');
        return at > 0 && ushort.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (text[..at], version)
            : throw new FormatException($"--schema '{text}' must look like id@version, e.g. ev@1");
    }

    private static Baseline ParseBaseline(string text)
    {
        var parts = text.Split('=', 2);
        return parts.Length == 2 && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var grams)
            ? new Baseline(parts[0], grams)
            : throw new FormatException($"--baseline '{text}' must look like class=gCO2/km, e.g. car=120");
    }

    private static GridFactor ParseGridFactor(string text)
    {
        var parts = text.Split('=', 2);
        var key = parts[0].Split('@', 2);
        ushort from = 0;
        if (parts.Length != 2 || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var grams) ||
            (key.Length == 2 && !ushort.TryParse(key[1], NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            throw new FormatException($"--grid '{text}' must look like region=gCO2/kWh or region@period=gCO2/kWh, e.g. eu-north=250");
        }
        return new GridFactor(key[0], from, grams);
    }

    private static uint ParseDay(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date >= DateOnly.FromDateTime(DateTime.UnixEpoch)
            ? (uint)(date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber)
            : throw new FormatException($"--start '{text}' must be a date as yyyy-MM-dd (UTC)");
}

/// <summary>The carbon module's commands.</summary>
internal sealed class CarbonCli : CliModule
{
    public override string Module => CarbonNames.ModuleName;

    public override IEnumerable<Command> Commands() => [CarbonCommands.Create()];
}
