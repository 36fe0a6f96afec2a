using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Execution.Modules.Rewards;

namespace ThingLedger.Cli.Commands;

/// <summary>rewards create|enrol|claim|refer|show|list (docs/CREDITS.md §2).</summary>
internal static class RewardsCommands
{
    public static Command Create() =>
        new Command("rewards", "Reward programmes: an organisation pays its token for shared device data, onboarding and referrals, within caps and a budget.")
            .With(CreateProgramme(), ForDevice(RewardsModule.Enrol), ForDevice(RewardsModule.ClaimOnboarding), Refer(), Show(), List());

    private static Command CreateProgramme()
    {
        var id = new Argument<string>("id") { Description = "Programme id (like an organisation id: a-z, 0-9, -)" };
        var token = new Option<string>("--token") { Description = "Your organisation's token that pays", Required = true };
        var budget = new Option<string>("--budget") { Description = "Moved from you into the programme's escrow now", Required = true };
        var cap = new Option<string>("--cap") { Description = "Most one account receives per period", Required = true };
        var periodDays = new Option<ushort>("--period-days") { Description = "Days per cap period", DefaultValueFactory = _ => 1 };
        var perUnit = new Option<string>("--per-unit") { Description = "Paid per unit of --field (needs --field)", DefaultValueFactory = _ => "0" };
        var field = new Option<string>("--field") { Description = "schema@version:field:unit, e.g. ev@1:distance_km:1000 (per km: the field has 3 decimals)" };
        var perSummary = new Option<string>("--per-clean-summary") { Description = "Paid per anchored summary without flags", DefaultValueFactory = _ => "0" };
        var onboarding = new Option<string>("--onboarding") { Description = "Paid once per device to its owner, on claim", DefaultValueFactory = _ => "0" };
        var referral = new Option<string>("--referral") { Description = "Paid once per new owner to who referred them", DefaultValueFactory = _ => "0" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("create", "Create a reward programme (admin), escrowing its budget.\n" +
                "Example: thingledger rewards create drive --token VOLT --budget 100000 --cap 1000 --per-unit 1 --field ev@1:distance_km:1000 --as voltmotors-admin")
            .With(id, token, budget, cap, periodDays, perUnit, field, perSummary, onboarding, referral, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (schema, version, name, unit) = parse.GetValue(field) is { } text ? ParseField(text) : (string.Empty, (ushort)0, string.Empty, 0L);
                var programme = new Programme(parse.GetValue(id)!, parse.GetValue(token)!, Amount(parse, budget), parse.GetValue(periodDays), Amount(parse, cap),
                    schema, version, name, unit, Amount(parse, perUnit), Amount(parse, perSummary), Amount(parse, onboarding), Amount(parse, referral));
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.CreateProgramme(programme), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    /// <summary>enrol and claim-onboarding: a device of the signer in a programme.</summary>
    private static Command ForDevice(string verb)
    {
        var programme = new Argument<string>("programme") { Description = "Programme id" };
        var device = new Argument<string>("device") { Description = "Your device's id (tl…) or key name" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var description = verb == RewardsModule.Enrol
            ? "Share your device's data with a programme: its anchored, unflagged data earns you rewards from then on.\nExample: thingledger rewards enrol drive tl1f… --as owner-1"
            : "Claim a programme's onboarding reward for your device, once.\nExample: thingledger rewards claim-onboarding drive tl1f… --as owner-1";
        return new Command(verb, description).With(programme, device, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (p, d) = (parse.GetValue(programme)!, cli.ResolveAddress(parse.GetValue(device)!));
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var operation = verb == RewardsModule.Enrol ? Operations.Enrol(p, d) : Operations.ClaimOnboarding(p, d);
                return (await cli.SubmitAsync(account, operation, parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Refer()
    {
        var programme = new Argument<string>("programme") { Description = "Programme id" };
        var referrer = new Argument<string>("referrer") { Description = "Who referred you: address or key name" };
        var device = new Option<string>("--device") { Description = "A device you own (proves you are an owner)", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("refer", "As a new owner, name who referred you; they receive the programme's referral reward once.\n" +
                "Example: thingledger rewards refer drive owner-1 --device tl1f… --as owner-4")
            .With(programme, referrer, device, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.Refer(parse.GetValue(programme)!, cli.ResolveAddress(parse.GetValue(referrer)!), cli.ResolveAddress(parse.GetValue(device)!)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Show()
    {
        var id = new Argument<string>("programme") { Description = "Programme id" };
        return new Command("show", "A programme's rules, budget left and paid.\nExample: thingledger rewards show drive").With(id)
            .Runs(async (parse, cli, ct) =>
            {
                var p = await cli.Client.GetProgrammeAsync(parse.GetValue(id)!, ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException(RewardsErrors.ProgrammeNotFound, $"no programme '{parse.GetValue(id)}'", 404);
                if (cli.Json)
                {
                    Output.Json(p);
                    return 0;
                }
                var decimals = (await cli.Client.GetTokenAsync(p.Token, ct).ConfigureAwait(false))?.Decimals ?? 0;
                string Units(string amount) => $"{TokenUnits.Format(amount, decimals)} {p.Token}";
                Output.Fields($"programme {p.Id}", ("organisation", p.Org), ("token", p.Token), ("budget", Units(p.Budget)), ("budget left", Units(p.BudgetLeft)), ("paid", Units(p.Paid)),
                    ("cap per account", $"{Units(p.CapPerPeriod)} per {p.PeriodDays} day(s)"),
                    ("per unit", p.UnitField is null ? "off" : $"{Units(p.PerUnit)} per {p.UnitSize} of {p.UnitSchema} {p.UnitField}"),
                    ("per clean summary", Units(p.PerCleanSummary)), ("onboarding", Units(p.Onboarding)), ("referral", Units(p.Referral)), ("created at block", p.Height));
                return 0;
            });
    }

    private static Command List() =>
        new Command("list", "Reward programmes.\nExample: thingledger rewards list").Runs(async (_, cli, ct) =>
        {
            var programmes = await cli.Client.GetProgrammesAsync(ct).ConfigureAwait(false);
            if (cli.Json)
            {
                Output.Json(programmes);
                return 0;
            }
            var decimals = (await cli.Client.GetTokensAsync(ct).ConfigureAwait(false)).ToDictionary(t => t.Symbol, t => t.Decimals, StringComparer.Ordinal);
            string Units(string amount, string token) => $"{TokenUnits.Format(amount, decimals.GetValueOrDefault(token))} {token}";
            Output.Rows("reward programmes", ["id", "org", "budget left", "paid", "cap per account"],
                programmes.Select(p => new[] { p.Id, p.Org, Units(p.BudgetLeft, p.Token), Units(p.Paid, p.Token), $"{Units(p.CapPerPeriod, p.Token)} per {p.PeriodDays} d" }));
            return 0;
        });

    private static UInt128 Amount(ParseResult parse, Option<string> option)
    {
        var text = parse.GetValue(option) ?? "0";
        return UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new FormatException($"{option.Name} '{text}' is not a whole number of the token's smallest unit");
    }

    private static (string Schema, ushort Version, string Field, long Unit) ParseField(string text)
    {
        var parts = text.Split(':');
        var at = parts[0].LastIndexOf('@');
        return parts.Length == 3 && at > 0 && ushort.TryParse(parts[0].AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version) &&
            long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var unit) && unit > 0
            ? (parts[0][..at], version, parts[1], unit)
            : throw new FormatException($"--field '{text}' must look like schema@version:field:unit, e.g. ev@1:distance_km:1000");
    }
}

/// <summary>The rewards module's commands.</summary>
internal sealed class RewardsCli : CliModule
{
    public override string Module => RewardsNames.ModuleName;

    public override IEnumerable<Command> Commands() => [RewardsCommands.Create()];
}
