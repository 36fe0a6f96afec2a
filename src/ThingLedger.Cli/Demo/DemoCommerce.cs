using System.Globalization;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Commerce;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's device commerce (docs/COMMERCE.md): the fleet's washing machines belong to
/// households, each with a standing detergent agreement and a repair agreement with
/// homeappliance. The machines are no longer refilled by hand: when an anchor shows one below
/// 15 %, the anchor itself orders a bottle; homeappliance accepts and ships it, the delivery
/// refills the machine, and its readings showing the refill release the payment. Later one
/// machine's drum motor starts to fail; screening flags its vibration, a repair order opens, the
/// technician visits, and the machine's normal readings close the repair and pay for it.
/// </summary>
internal static class DemoCommerce
{
    public const string Sku = "DET-2L";
    private const string Service = "homeappliance";
    private static readonly UInt128 BottlePrice = 1_200; // 12.00 CNY
    private static readonly UInt128 RepairPrice = 8_000; // 80.00 CNY

    /// <summary>Sets the agreements up and returns the part that runs with the demo: the retailer serving its queue, and the failing drum.</summary>
    public static async Task<Func<CancellationToken, Task>> RunAsync(ThingLedgerClient client, DemoScenario world, Fleet fleet, Action<string> progress, CancellationToken ct)
    {
        var maker = world.Admins[Service];
        var bank = world.Admins["gridco"];
        var washers = fleet.Devices.Where(d => d.Model is WasherModel).ToList();
        var owners = world.Owners.Take(washers.Count).ToList();
        var setup = new List<Transaction>();
        for (var i = 0; i < washers.Count; i++)
        {
            if (await client.GetDeviceAsync(washers[i].Key.Address, ct).ConfigureAwait(false) is { } device && device.Owner == maker.Address.ToString())
            {
                setup.Add(maker.Sign(Operations.TransferDevice(washers[i].Key.Address, owners[i].Address)));
            }
            setup.Add(bank.Sign(Operations.Mint(DemoFinance.Currency, owners[i].Address, 20_000)));
        }
        setup.Add(maker.Sign(Operations.MapFaults(BuiltInSchemas.Washer2.Id, BuiltInSchemas.Washer2.Version, new FaultEntry(FlagCode.ValueOutOfRange, "drum-motor"))));
        await client.SubmitAllCommittedAsync(setup, "the demo's commerce step (handing the washing machines to households)", cancellationToken: ct).ConfigureAwait(false);

        var agreements = new List<Transaction>();
        var countersign = new List<Transaction>();
        for (var i = 0; i < washers.Count; i++)
        {
            var (owner, device) = (owners[i], washers[i].Key.Address);
            var until = CliArguments.Now + (365 * 86_400_000UL);
            AgreementTerms[] terms =
            [
                new($"detergent-{i + 1}", AgreementKind.Supply, Service, [device], Sku, [], BottlePrice, 1, 4, 30 * 86_400_000UL, 6 * BottlePrice, DemoFinance.Currency,
                    7 * 86_400_000UL, 0, string.Empty, string.Empty, "washer", 2, "detergent_pct", 150, 500, until),
                new($"repairs-{i + 1}", AgreementKind.Repair, Service, [device], string.Empty, ["drum-motor"], RepairPrice, 1, 1, 30 * 86_400_000UL, RepairPrice,
                    DemoFinance.Currency, 3 * 86_400_000UL, 0, string.Empty, string.Empty, "washer", 2, string.Empty, 0, 0, until),
            ];
            foreach (var t in terms)
            {
                var id = CommerceIds.Agreement(owner.Address, Service, t.Reference);
                if (await client.GetAgreementAsync(id, ct).ConfigureAwait(false) is null)
                {
                    agreements.Add(owner.Sign(Operations.ProposeAgreement(t)));
                    countersign.Add(maker.Sign(Operations.CountersignAgreement(id)));
                }
            }
            // From now on the machines wait for their detergent to be delivered; they start between
            // 18 % and 34 %, so their six days of buffered history cross 15 % one after the other.
            var model = (WasherModel)washers[i].Model;
            model.WaitsForDelivery = true;
            model.Fill(18 + (4 * i));
        }
        await client.SubmitAllCommittedAsync(agreements, "the demo's commerce step (households proposing agreements)", cancellationToken: ct).ConfigureAwait(false);
        await client.SubmitAllCommittedAsync(countersign, "the demo's commerce step (homeappliance countersigning)", cancellationToken: ct).ConfigureAwait(false);
        progress($"{washers.Count} washing machines belong to households now, each with a detergent agreement (a {Sku} bottle for 12.00 {DemoFinance.Currency} " +
            "whenever its anchored readings show less than 15 %) and a repair agreement with homeappliance: /commerce");

        return stopping => ServeAsync(client, maker, washers, progress, stopping);
    }

    /// <summary>
    /// homeappliance serves its queue every two seconds: it accepts and ships what is placed (the
    /// bottle refills the machine when it arrives) and sends a technician to a repair, who fixes the
    /// drum. Half a minute in, the last machine's drum motor starts to fail.
    /// </summary>
    private static async Task ServeAsync(ThingLedgerClient client, Account maker, List<SimulatedDevice> washers, Action<string> progress, CancellationToken ct)
    {
        var byDevice = washers.ToDictionary(w => w.Key.Address.ToString(), w => (WasherModel)w.Model, StringComparer.Ordinal);
        var seen = new Dictionary<(string, uint), CommerceOrderStatus>();
        var failAt = DateTime.UtcNow.AddSeconds(30);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            if (failAt < DateTime.UtcNow && washers.Count > 0)
            {
                failAt = DateTime.MaxValue;
                ((WasherModel)washers[^1].Model).DrumFault = true;
                progress($"the drum motor of washing machine {Short(washers[^1].Key.Address)} starts to fail: its vibration leaves the normal range");
            }
            var steps = new List<Transaction>();
            foreach (var order in await client.GetCommerceQueueAsync(Service, ct).ConfigureAwait(false))
            {
                var key = (order.Agreement, order.Number);
                if (!seen.TryGetValue(key, out var before) || before != order.Status)
                {
                    Announce(order, progress);
                    seen[key] = order.Status;
                }
                var (agreement, model) = (Hash.Parse(order.Agreement), byDevice.GetValueOrDefault(order.Device));
                switch (order.Status)
                {
                    case CommerceOrderStatus.Placed:
                        steps.Add(maker.Sign(Operations.AcceptOrder(agreement, order.Number)));
                        steps.Add(maker.Sign(Operations.ShipOrder(agreement, order.Number, order.Category is null ? $"PARCEL-{order.Number + 1}" : "technician T-7")));
                        break;
                    case CommerceOrderStatus.Shipped when order.Category is null:
                        model?.Refill(); // the bottle arrives; the machine's readings show it
                        break;
                    case CommerceOrderStatus.Shipped:
                        steps.Add(maker.Sign(Operations.ConfirmOrder(agreement, order.Number)));
                        if (model is not null)
                        {
                            model.DrumFault = false; // the technician replaced the motor
                        }
                        break;
                }
            }
            if (steps.Count > 0)
            {
                await client.SubmitAllCommittedAsync(steps, "the demo's commerce step (homeappliance serving its queue)", cancellationToken: ct).ConfigureAwait(false);
            }
            foreach (var (key, status) in seen.Where(s => s.Value is CommerceOrderStatus.Shipped or CommerceOrderStatus.Visited).ToList())
            {
                if (await client.GetCommerceOrderAsync(Hash.Parse(key.Item1), key.Item2, ct).ConfigureAwait(false) is { Open: false } done)
                {
                    Announce(done, progress);
                    seen.Remove(key);
                }
            }
        }
    }

    private static void Announce(CommerceOrderView order, Action<string> progress)
    {
        var what = order.Category is null ? $"a {Sku} bottle" : $"a {order.Category} repair ({order.Flag}, model {order.Model})";
        var message = order.Status switch
        {
            CommerceOrderStatus.Placed when order.Source == OrderSource.Readings && order.Level is { } level =>
                $"washing machine {Short(order.Device)} ordered {what} by itself: its anchored readings show {level / 10.0:F1} % left",
            CommerceOrderStatus.Placed => $"washing machine {Short(order.Device)}: {what} ordered ({CommerceModule.SourceText(order.Source)})",
            CommerceOrderStatus.Released => $"washing machine {Short(order.Device)}: {what} {(order.Category is null ? "delivered" : "done")}, shown by its readings " +
                $"(reading {order.EvidenceSequence}); {TokenUnits.Format(order.Amount, 2)} {DemoFinance.Currency} paid from the owner's escrow: /commerce/agreements/{order.Agreement}",
            CommerceOrderStatus.Refunded => $"washing machine {Short(order.Device)}: {what} refunded to its owner",
            _ => null,
        };
        if (message is not null)
        {
            progress(string.Create(CultureInfo.InvariantCulture, $"{message}"));
        }
    }

    private static string Short(Address address) => Short(address.ToString());

    private static string Short(string id) => id[..10] + "…";
}
