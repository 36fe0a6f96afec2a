using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;

namespace ThingLedger.Cli.Commands;

/// <summary>
/// commerce agree|pause|resume|close|show|orders|queue (this file) and
/// order|repair|accept|ship|confirm|release|refund|cancel|dispute|resolve|repairs|faults
/// (CommerceCommands.Orders.cs): autonomous device commerce (docs/COMMERCE.md). Amounts are
/// whole numbers of the token's smallest unit; levels are in the schema field's own units.
/// </summary>
internal static partial class CommerceCommands
{
    public static Command Create() =>
        new Command("commerce", "Autonomous device commerce: standing agreements under which devices order their consumables and repairs, paid from the owner's escrowed budget once delivery is shown (docs/COMMERCE.md). Amounts are whole numbers of the token's smallest unit.")
            .With(Agree(), OnAgreement(CommerceNames.Pause, "Pause the agreement: neither its devices nor their readings order until you resume it. Orders already placed go on.", Operations.PauseAgreement),
                OnAgreement(CommerceNames.Resume, "Resume a paused agreement.", Operations.ResumeAgreement),
                OnAgreement(CommerceNames.Close, "Close the agreement: what no open order reserves returns to you at once; open orders go on.", Operations.CloseAgreement),
                Show(), Orders(), Queue(), Order(), Repair(),
                OnOrder(CommerceNames.Accept, "Accept an order under an agreement your organisation is the counterparty of.", "retailer-admin", Operations.AcceptOrder),
                Ship(),
                OnOrder(CommerceNames.Confirm, "Confirm a delivery (as the courier's member, the owner or the device) or record a repair visit (as the service organisation).", "courier-admin", Operations.ConfirmOrder),
                OnOrder(CommerceNames.Release, "Release a delivered order's payment to the retailer once its hold has passed. Anyone may send it.", "retailer-admin", Operations.ReleasePayment),
                OnOrder(CommerceNames.Refund, "Refund an order whose deadline passed without delivery to its owner. Anyone may send it.", "owner", Operations.RefundOrder),
                OnOrder(CommerceNames.Cancel, "Cancel your order before it ships (a repair before the technician is dispatched).", "owner", Operations.CancelOrder),
                OnOrder(CommerceNames.Dispute, "Dispute a shipped or delivered order before its payment is released: the payment is frozen until it is resolved.", "owner", Operations.DisputeOrder),
                Resolve(), Repairs(), Faults());

    private static Argument<string> AgreementArgument() => new("agreement") { Description = "The agreement's id (64 hex digits, printed by `commerce agree`)" };

    private static Argument<uint> OrderArgument() => new("order") { Description = "The order's number under the agreement (0 is the first; `commerce orders` lists them)" };

    private static Hash ParseId(string text) =>
        Hash.TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not an agreement id (64 hex digits)");

    /// <summary>Submits <paramref name="operation"/> and, once committed, prints its commerce events.</summary>
    private static async Task<int> SubmitAsync(ParseResult parse, CliContext cli, Option<string> signer, Option<bool> noWait, Operation operation, CancellationToken ct)
    {
        var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
        var (code, tx) = await cli.SubmitAsync(account, operation, parse.GetValue(noWait), ct).ConfigureAwait(false);
        if (code == 0 && !cli.Json && !parse.GetValue(noWait) && await cli.Client.GetTxAsync(tx.Id, ct).ConfigureAwait(false) is { Receipt: { } receipt })
        {
            foreach (var e in receipt.Events.Where(e => e.Module == CommerceNames.ModuleName))
            {
                Console.WriteLine(Describe(e));
            }
        }
        return code;
    }

    private static string Describe(EventView e)
    {
        string A(string name) => e.Attributes.TryGetValue(name, out var value) ? value : "?";
        return e.Name switch
        {
            "agreement-proposed" => $"agreement {A("agreement")} proposed; {A("budget")} {A("token")} in escrow until {A("counterparty")} countersigns",
            "agreement-countersigned" => $"agreement {A("agreement")} is active; payments go to {A("payee")}",
            "agreement-closed" => $"agreement closed; {A("returned")} returned to the owner",
            "order-placed" => $"order {A("order")} placed ({A("source")}): {A("units")} unit(s), {A("amount")} reserved",
            "repair-opened" => $"repair {A("order")} opened for {A("flag")} ({A("category")})",
            "order-delivered" => $"order {A("order")} delivered, shown by the {A("by")}",
            "payment-released" => $"order {A("order")}: {A("amount")} paid to {A("payee")}",
            "order-refunded" => $"order {A("order")}: {A("amount")} refunded to {A("owner")}",
            "order-resolved" => $"order {A("order")} resolved by the {A("by")}: {A("owner-amount")} to the owner, {A("payee-amount")} to the payee",
            "resolution-proposed" => $"order {A("order")}: you proposed {A("owner-share")} to the owner; it is resolved when the other party proposes the same",
            "order-skipped" => $"no order for {A("device")}: {A("code")}",
            _ => $"{e.Name} {string.Join(" ", e.Attributes.Select(kv => $"{kv.Key}={kv.Value}"))}",
        };
    }

    private static Command Agree()
    {
        var id = new Option<string>("--id") { Description = "Countersign this proposed agreement (as a member of its counterparty) instead of proposing one" };
        var retailer = new Option<string>("--retailer") { Description = "Propose a supply agreement with this retailer organisation" };
        var service = new Option<string>("--service") { Description = "Propose a repair agreement with this service organisation" };
        var devices = new Option<string[]>("--device") { Description = "A device of yours the agreement covers (id or key name); repeat for more, at most 64", AllowMultipleArgumentsPerToken = true };
        var sku = new Option<string>("--sku") { Description = "The product (supply), e.g. DET-2L" };
        var categories = new Option<string[]>("--category") { Description = "A repair category covered (repair), e.g. drum-motor; repeat for more", AllowMultipleArgumentsPerToken = true };
        var price = new Option<string>("--price") { Description = "Unit price cap (supply) or price of one repair, in the token's smallest unit" };
        var quantity = new Option<uint>("--quantity") { Description = "Most units per order; an order the readings place asks for this many", DefaultValueFactory = _ => 1 };
        var orders = new Option<string>("--orders") { Description = "At most N orders per period, as N/period (e.g. 2/30d)", DefaultValueFactory = _ => "1/30d" };
        var budget = new Option<string>("--budget") { Description = "The whole budget, escrowed now, in the token's smallest unit" };
        var token = new Option<string>("--token") { Description = "The payment token, e.g. PTS" };
        var deadline = new Option<string>("--deadline") { Description = "Delivery (or visit) within this long of the order, else it is refunded (7d, 48h…)", DefaultValueFactory = _ => "7d" };
        var hold = new Option<string>("--hold") { Description = "How long payment waits after delivery (the return window); 0 pays at once", DefaultValueFactory = _ => "0" };
        var arbiter = new Option<string>("--arbiter") { Description = "An organisation that may decide disputes" };
        var courier = new Option<string>("--courier") { Description = "An organisation whose members may confirm deliveries (supply)" };
        var trigger = new Option<string>("--trigger") { Description = "Order from readings when a field's last unflagged level is below a threshold, as schema@v:field<value in the field's units (e.g. washer@1:detergent_pct<15.0)" };
        var rise = new Option<string>("--rise") { Description = "With --trigger: the rise of that field, per unit ordered, that shows a delivery (in the field's units, e.g. 50.0); none: readings do not confirm" };
        var schema = new Option<string>("--schema") { Description = "With --service: the schema whose diagnosed faults open repairs (e.g. washer@2)" };
        var until = new Option<string>("--until") { Description = "When the agreement ends: ISO-8601 UTC, ms, or from now", DefaultValueFactory = _ => "+365d" };
        var reference = new Option<string>("--reference") { Description = "Your name for the agreement, unique per counterparty (default: the SKU, or 'repairs')" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("agree", "Propose a standing agreement for your devices (the budget moves into escrow), or countersign one proposed to your organisation with --id.\n" +
                "Example: thingledger commerce agree --retailer homeappliance --device washer-1 --sku DET-2L --price 300 --quantity 1 --orders 2/30d --budget 3000 --token PTS --trigger washer@1:detergent_pct<15.0 --rise 50.0 --as owner\n" +
                "         thingledger commerce agree --id 3f6c…e1 --as homeappliance-admin")
            .With(id, retailer, service, devices, sku, categories, price, quantity, orders, budget, token, deadline, hold, arbiter, courier, trigger, rise, schema, until, reference, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                if (parse.GetValue(id) is { } existing)
                {
                    return await SubmitAsync(parse, cli, signer, noWait, Operations.CountersignAgreement(ParseId(existing)), ct).ConfigureAwait(false);
                }
                var repair = parse.GetValue(service) is not null;
                if (repair == (parse.GetValue(retailer) is not null))
                {
                    throw new FormatException("give one of --retailer (a supply agreement) or --service (a repair agreement), or --id to countersign");
                }
                foreach (var (option, name) in new[] { (price, "--price"), (budget, "--budget"), (token, "--token") })
                {
                    _ = parse.GetValue(option) ?? throw new FormatException($"{name} is required to propose an agreement");
                }
                var (maxOrders, period) = ParseOrders(parse.GetValue(orders)!);
                var (schemaId, version, field, threshold, risePerUnit) = repair
                    ? await RepairSchemaAsync(cli, parse.GetValue(schema), ct).ConfigureAwait(false)
                    : await TriggerAsync(cli, parse.GetValue(trigger), parse.GetValue(rise), ct).ConfigureAwait(false);
                var terms = new AgreementTerms(
                    parse.GetValue(reference) ?? (repair ? "repairs" : parse.GetValue(sku) ?? string.Empty),
                    repair ? AgreementKind.Repair : AgreementKind.Supply, (repair ? parse.GetValue(service) : parse.GetValue(retailer))!,
                    [.. (parse.GetValue(devices) ?? []).Select(cli.ResolveAddress)], repair ? string.Empty : parse.GetValue(sku) ?? string.Empty,
                    repair ? parse.GetValue(categories) ?? [] : [], CliArguments.Amount(parse.GetValue(price)!), parse.GetValue(quantity), maxOrders, period,
                    CliArguments.Amount(parse.GetValue(budget)!), parse.GetValue(token)!, (ulong)CliArguments.Duration(parse.GetValue(deadline)!, "--deadline"),
                    (ulong)CliArguments.Duration(parse.GetValue(hold)!, "--hold"), parse.GetValue(arbiter) ?? string.Empty, parse.GetValue(courier) ?? string.Empty,
                    schemaId, version, field, threshold, risePerUnit, CliArguments.Time(parse.GetValue(until)!, CliArguments.Now));
                if (terms.Devices.Length == 0)
                {
                    throw new FormatException("--device: name at least one of your devices");
                }
                return await SubmitAsync(parse, cli, signer, noWait, Operations.ProposeAgreement(terms), ct).ConfigureAwait(false);
            });
    }

    /// <summary>"2/30d": at most 2 orders every 30 days.</summary>
    private static (uint Max, ulong PeriodMs) ParseOrders(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !uint.TryParse(text.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var max) || max == 0)
        {
            throw new FormatException($"--orders '{text}' is not N/period (e.g. 2/30d)");
        }
        var period = CliArguments.Duration(text[(slash + 1)..], "--orders");
        return period > 0 ? (max, (ulong)period) : throw new FormatException("--orders: the period must be above zero");
    }

    /// <summary>"washer@1:detergent_pct&lt;15.0" with the rise, scaled by the field's decimals as the chain has them.</summary>
    private static async Task<(string, ushort, string, long, long)> TriggerAsync(CliContext cli, string? trigger, string? rise, CancellationToken ct)
    {
        if (trigger is null)
        {
            return rise is null ? (string.Empty, (ushort)0, string.Empty, 0L, 0L) : throw new FormatException("--rise needs --trigger");
        }
        var colon = trigger.IndexOf(':', StringComparison.Ordinal);
        var less = trigger.IndexOf('<', StringComparison.Ordinal);
        if (colon <= 0 || less <= colon + 1 || !Client.ReadingJsonMapper.TryParseSchemaRef(trigger[..colon], out var id, out var version))
        {
            throw new FormatException($"--trigger '{trigger}' is not schema@version:field<value (e.g. washer@1:detergent_pct<15.0)");
        }
        var name = trigger[(colon + 1)..less];
        var field = await FieldAsync(cli, id, version, name, ct).ConfigureAwait(false);
        if (field.Additive)
        {
            throw new FormatException($"--trigger: {name} of {id}@{version} is additive (a quantity per reading), not a level");
        }
        return (id, version, name, Value(trigger[(less + 1)..], field, "--trigger"), rise is null ? 0 : Value(rise, field, "--rise"));
    }

    private static async Task<(string, ushort, string, long, long)> RepairSchemaAsync(CliContext cli, string? schema, CancellationToken ct)
    {
        if (!Client.ReadingJsonMapper.TryParseSchemaRef(schema, out var id, out var version))
        {
            throw new FormatException("--schema: a repair agreement names the schema whose diagnosed faults open repairs, as id@version (e.g. washer@2)");
        }
        _ = await cli.Client.GetSchemaAsync(id, version, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no schema {id}@{version} on the chain");
        return (id, version, string.Empty, 0, 0);
    }

    private static async Task<SchemaFieldView> FieldAsync(CliContext cli, string id, ushort version, string name, CancellationToken ct)
    {
        var schema = await cli.Client.GetSchemaAsync(id, version, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no schema {id}@{version} on the chain");
        return schema.Fields.FirstOrDefault(f => f.Name == name)
            ?? throw new FormatException($"schema {id}@{version} has no field '{name}' (it has {string.Join(", ", schema.Fields.Select(f => f.Name))})");
    }

    private static long Value(string text, SchemaFieldView field, string option) =>
        TelemetrySchema.TryParseValue(text, field.Decimals, out var value) && value >= 0 ? value
            : throw new FormatException($"{option}: '{text}' is not a value of {field.Name} ({field.Unit}, at most {field.Decimals} decimals, not negative)");

    private static Command OnAgreement(string verb, string description, Func<Hash, Operation> build)
    {
        var agreement = AgreementArgument();
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, $"{description}\nExample: thingledger commerce {verb} 3f6c…e1 --as owner")
            .With(agreement, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, build(ParseId(parse.GetValue(agreement)!)), ct).ConfigureAwait(false));
    }

    private static Command OnOrder(string verb, string description, string who, Func<Hash, uint, Operation> build)
    {
        var agreement = AgreementArgument();
        var order = OrderArgument();
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, $"{description}\nExample: thingledger commerce {verb} 3f6c…e1 0 --as {who}")
            .With(agreement, order, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, build(ParseId(parse.GetValue(agreement)!), parse.GetValue(order)), ct).ConfigureAwait(false));
    }

    private static async Task<AgreementView> FetchAsync(CliContext cli, string id, CancellationToken ct) =>
        await cli.Client.GetAgreementAsync(ParseId(id), ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no agreement {id}");

    private static Command Show()
    {
        var agreement = AgreementArgument();
        var verify = VerifyOption();
        return new Command("show", "An agreement: its terms, status and money; with --verify, its state and every order's checked against proofs and the local genesis.\nExample: thingledger commerce show 3f6c…e1 --verify")
            .With(agreement, verify)
            .Runs(async (parse, cli, ct) =>
            {
                var a = await FetchAsync(cli, parse.GetValue(agreement)!, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(a);
                }
                else
                {
                    Output.Fields($"agreement {a.Id}", ("reference", a.Reference), ("kind", a.Kind == AgreementKind.Repair ? "repair" : "supply"), ("status", AgreementStatusText.Text(a)),
                        ("owner", a.Owner), ("counterparty", a.Counterparty), ("payee", a.Payee), ("devices", string.Join(", ", a.Devices)),
                        (a.Kind == AgreementKind.Repair ? "categories" : "product", a.Sku ?? string.Join(", ", a.Categories)),
                        ("price", $"{a.Price} {a.Token}"), ("quantity per order", a.Quantity), ("orders", $"at most {a.MaxOrders} every {CommerceModule.Duration(a.Period)}"),
                        ("deadline", CommerceModule.Duration(a.Deadline)), ("hold", CommerceModule.Duration(a.Hold)), ("arbiter", a.Arbiter), ("courier", a.Courier),
                        ("trigger", a.Field is null ? null : $"{a.Schema} {a.Field} < {a.Threshold}, rise per unit {a.RisePerUnit}"),
                        ("diagnosis", a.Field is null ? a.Schema : null),
                        ("until", Execution.PayloadField.Time(a.Until)), ("budget", a.Budget), ("in escrow", a.Escrowed), ("reserved", a.Reserved),
                        ("available", a.Available), ("paid", a.Paid), ("returned", a.Refunded), ("orders placed", a.Orders));
                }
                return parse.GetValue(verify) ? await VerifyAsync(cli, [a.StateKey, .. a.OrderList.Select(o => o.StateKey)], ct).ConfigureAwait(false) : 0;
            });
    }

    private static Option<bool> VerifyOption() => new("--verify") { Description = "Check what is shown against state proofs, trusting only <data>/genesis.json" };

    /// <summary>Fetches each key with its proof and checks it against the local genesis; says which failed.</summary>
    private static async Task<int> VerifyAsync(CliContext cli, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var genesis = Node.DataDirectory.LoadGenesis(cli.DataDirectory);
        foreach (var key in keys)
        {
            try
            {
                _ = await cli.Client.GetVerifiedStateAsync(key, genesis, ct).ConfigureAwait(false);
            }
            catch (ProofException e)
            {
                Console.Error.WriteLine($"{key}: the proof does not verify: {e.Message}");
                return CliRunner.Refused;
            }
        }
        if (!cli.Json)
        {
            Console.WriteLine($"verified: {keys.Count} state record(s) against the genesis in {cli.DataDirectory}");
        }
        return 0;
    }

    private static Command Orders()
    {
        var agreement = AgreementArgument();
        var verify = VerifyOption();
        return new Command("orders", "Every order under an agreement, newest first: why it was placed (the readings behind it), where it is, and what showed delivery.\nExample: thingledger commerce orders 3f6c…e1")
            .With(agreement, verify)
            .Runs(async (parse, cli, ct) =>
            {
                var a = await FetchAsync(cli, parse.GetValue(agreement)!, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(a.OrderList);
                }
                else
                {
                    OrderRows($"orders of {a.Reference}", a.OrderList);
                }
                return parse.GetValue(verify) ? await VerifyAsync(cli, [.. a.OrderList.Select(o => o.StateKey)], ct).ConfigureAwait(false) : 0;
            });
    }

    private static void OrderRows(string title, IEnumerable<CommerceOrderView> orders, bool withAgreement = false)
    {
        string[] head = ["#", "device", "source", "why", "amount", "status", "placed", "deadline", "shown by"];
        Output.Rows(title, withAgreement ? ["agreement", .. head] : head, orders.Select(o =>
        {
            string?[] row =
            [
                Text(o.Number), o.Device, CommerceModule.SourceText(o.Source),
                o.Flag is not null ? $"{o.Flag} → {o.Category}" : o.Level is { } level ? $"level {level} (readings {o.FirstSequence}–{o.LastSequence})" : $"{o.Units} unit(s)",
                o.Amount, o.Status.ToString().ToLowerInvariant() + (o.Overdue ? " (overdue)" : string.Empty),
                Execution.PayloadField.Time(o.Placed), Execution.PayloadField.Time(o.Deadline),
                o.DeliveredBy == Confirmation.None ? null : CommerceModule.ConfirmationText(o.DeliveredBy) + (o.EvidenceSequence is { } s ? $" (reading {s})" : string.Empty),
            ];
            return withAgreement ? [o.Agreement, .. row] : row;
        }));
    }

    private static Command Queue()
    {
        var org = new Argument<string>("org") { Description = "The retailer's or service organisation's id" };
        return new Command("queue", "The open orders of every agreement an organisation is the counterparty of, oldest first.\nExample: thingledger commerce queue grid")
            .With(org)
            .Runs(async (parse, cli, ct) =>
            {
                var orders = await cli.Client.GetCommerceQueueAsync(parse.GetValue(org)!, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(orders);
                }
                else
                {
                    OrderRows($"queue of {parse.GetValue(org)}", orders, withAgreement: true);
                }
                return 0;
            });
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The commerce module's commands.</summary>
internal sealed class CommerceCli : CliModule
{
    public override string Module => CommerceNames.ModuleName;

    public override IEnumerable<Command> Commands() => [CommerceCommands.Create()];
}
