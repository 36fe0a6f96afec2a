using System.CommandLine;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;

namespace ThingLedger.Cli.Commands;

/// <summary>commerce order|repair|ship|resolve|repairs|faults.</summary>
internal static partial class CommerceCommands
{
    private static Command Order()
    {
        var agreement = AgreementArgument();
        var units = new Option<uint>("--units") { Description = "How many units (at most the agreement's quantity)", DefaultValueFactory = _ => 1 };
        var price = new Option<string>("--price") { Description = "Unit price in the token's smallest unit (default: the agreement's cap)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("order", "Order under a supply agreement, signed by the device's own key: it spends only what the agreement allows, out of the owner's escrowed budget.\n" +
                "Example: thingledger commerce order 3f6c…e1 --units 1 --as washer-1")
            .With(agreement, units, price, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var a = await FetchAsync(cli, parse.GetValue(agreement)!, ct).ConfigureAwait(false);
                var unitPrice = parse.GetValue(price) is { } p ? CliArguments.Amount(p) : UInt128.Parse(a.Price, CultureInfo.InvariantCulture);
                return await SubmitAsync(parse, cli, signer, noWait, Operations.DeviceOrder(ParseId(a.Id), a.Sku ?? string.Empty, parse.GetValue(units), unitPrice), ct)
                    .ConfigureAwait(false);
            });
    }

    private static Command Repair()
    {
        var agreement = AgreementArgument();
        var device = new Option<string>("--device") { Description = "The faulty device (id or key name)", Required = true };
        var day = new Option<string>("--day") { Description = "The UTC day whose anchored readings carry the fault: a date (2026-12-07), ISO-8601 time, or 'today'", DefaultValueFactory = _ => "today" };
        var category = new Option<string>("--category") { Description = "The repair category (mapped from the fault's flag by the schema's owner)", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("repair", "Open a repair order yourself for a fault your device's anchored readings of a day carry (one screening flag that the schema maps to the category).\n" +
                "Example: thingledger commerce repair 3f6c…e1 --device washer-1 --category drum-motor --as owner")
            .With(agreement, device, day, category, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var text = parse.GetValue(day)!;
                var ms = text == "today" ? CliArguments.Now : CliArguments.Time(text);
                return await SubmitAsync(parse, cli, signer, noWait, Operations.OpenRepair(ParseId(parse.GetValue(agreement)!), cli.ResolveAddress(parse.GetValue(device)!),
                    DeviceSummary.DayOf(ms), parse.GetValue(category)!), ct).ConfigureAwait(false);
            });
    }

    private static Command Ship()
    {
        var agreement = AgreementArgument();
        var order = OrderArgument();
        var tracking = new Option<string>("--tracking") { Description = "A tracking or technician reference, shown with the order", DefaultValueFactory = _ => string.Empty };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("ship", "Ship an accepted order (dispatch the technician, for a repair).\nExample: thingledger commerce ship 3f6c…e1 0 --tracking PARCEL-1 --as retailer-admin")
            .With(agreement, order, tracking, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.ShipOrder(ParseId(parse.GetValue(agreement)!), parse.GetValue(order), parse.GetValue(tracking)!), ct).ConfigureAwait(false));
    }

    private static Command Resolve()
    {
        var agreement = AgreementArgument();
        var order = OrderArgument();
        var share = new Option<string>("--owner-share") { Description = "What the owner gets back, as a percentage (50%) or basis points (5000); the rest goes to the payee", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("resolve", "Resolve a disputed order: the arbiter decides alone; the owner and the counterparty decide by each proposing the same split.\n" +
                "Example: thingledger commerce resolve 3f6c…e1 0 --owner-share 50% --as owner")
            .With(agreement, order, share, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.ResolveOrder(ParseId(parse.GetValue(agreement)!), parse.GetValue(order), ParseShare(parse.GetValue(share)!)), ct).ConfigureAwait(false));
    }

    /// <summary>"50%", "12.5%" or "5000" (basis points) → basis points, 0–10,000.</summary>
    private static ushort ParseShare(string text)
    {
        if (text.EndsWith('%') && decimal.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) &&
            percent <= 100 && decimal.Round(percent * 100) == percent * 100)
        {
            return (ushort)(percent * 100);
        }
        return ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bps) && bps <= CommerceLimits.WholeBps
            ? bps
            : throw new FormatException($"--owner-share '{text}' is not a percentage (0%–100%, two decimals at most) or basis points (0–10000)");
    }

    private static Command Repairs()
    {
        var owner = new Option<string>("--owner") { Description = "Repairs of this owner's agreements (address or key name)" };
        var org = new Option<string>("--org") { Description = "Repairs of the agreements this service organisation holds" };
        return new Command("repairs", "Repair orders: what fault opened each (flag, category, screening model, the readings), and where it is.\n" +
                "Example: thingledger commerce repairs --org grid")
            .With(owner, org)
            .Runs(async (parse, cli, ct) =>
            {
                var byOwner = parse.GetValue(owner);
                if ((byOwner is null) == (parse.GetValue(org) is null))
                {
                    throw new FormatException("give one of --owner or --org");
                }
                var agreements = await cli.Client.GetAgreementsAsync(byOwner is null ? null : cli.ResolveAddress(byOwner), parse.GetValue(org), ct).ConfigureAwait(false);
                var repairs = new List<Client.Contracts.CommerceOrderView>();
                foreach (var a in agreements.Where(a => a.Kind == AgreementKind.Repair))
                {
                    repairs.AddRange((await FetchAsync(cli, a.Id, ct).ConfigureAwait(false)).OrderList);
                }
                if (cli.Json)
                {
                    Output.Json(repairs);
                    return 0;
                }
                Output.Rows("repairs", ["agreement", "#", "device", "fault", "category", "model", "readings", "status", "placed"],
                    repairs.Select(o => new[]
                    {
                        o.Agreement, Text(o.Number), o.Device, o.Flag, o.Category, o.Model,
                        o.LastSequence is { } last ? $"{o.FirstSequence}–{last}" : o.TriggerDay is { } day ? $"day {day}" : null,
                        o.Status.ToString().ToLowerInvariant() + (o.Overdue ? " (overdue)" : string.Empty), Execution.PayloadField.Time(o.Placed),
                    }));
                return 0;
            });
    }

    private static Command Faults()
    {
        var schema = new Argument<string>("schema") { Description = "The schema, as id@version (yours: a member of its organisation maps it)" };
        var faults = new Argument<string[]>("faults") { Description = "FLAG_CODE=category pairs, e.g. VALUE_OUT_OF_RANGE=drum-motor (at most 16)", Arity = ArgumentArity.OneOrMore };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("faults", "Map screening flag codes of your schema to repair categories: a repair agreement covering a category opens a repair when a device's anchored readings carry its flag.\n" +
                "Example: thingledger commerce faults washer@2 VALUE_OUT_OF_RANGE=drum-motor --as acme-admin")
            .With(schema, faults, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                if (!Client.ReadingJsonMapper.TryParseSchemaRef(parse.GetValue(schema), out var id, out var version))
                {
                    throw new FormatException($"'{parse.GetValue(schema)}' is not a schema as id@version");
                }
                var entries = parse.GetValue(faults)!.Select(text =>
                {
                    var eq = text.IndexOf('=', StringComparison.Ordinal);
                    return eq > 0 && FlagCodes.TryParse(text[..eq], out var code) ? new FaultEntry(code, text[(eq + 1)..])
                        : throw new FormatException($"'{text}' is not FLAG_CODE=category (codes: docs/CREDITS.md, e.g. VALUE_OUT_OF_RANGE)");
                }).ToArray();
                return await SubmitAsync(parse, cli, signer, noWait, Operations.MapFaults(id, version, entries), ct).ConfigureAwait(false);
            });
    }
}
