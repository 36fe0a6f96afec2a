using ThingLedger.Execution.Modules.Epcis;
using static ThingLedger.Execution.Tests.Modules.Epcis.EpcisTestChain;

namespace ThingLedger.Execution.Tests.Modules.Epcis;

/// <summary>Registered locations give events a country and a position: customs clears items into a country, an inspection can hold a clearance, and an item seen faster than travel allows is a clone.</summary>
public sealed class EpcisPlacesTests
{
    private const string Shanghai = "urn:epc:id:sgln:0614141.00010.0";
    private const string ShanghaiPort = "urn:epc:id:sgln:0614141.00011.0";
    private const string HongKong = "urn:epc:id:sgln:0614141.00020.0";
    private const string HongKongCustoms = "urn:epc:id:sgln:0614141.00021.0";

    private readonly EpcisTestChain _e = new();

    public EpcisPlacesTests()
    {
        Register(Shanghai, "CN", 31_230_400, 121_473_700);
        Register(ShanghaiPort, "CN", 31_350_000, 121_600_000);
        Register(HongKong, "HK", 22_319_300, 114_169_400);
        Register(HongKongCustoms, "HK", 22_300_000, 114_170_000);
    }

    private Core.Ledger.Receipt Location(string gln, string country, int lat, int lon) =>
        _e.Chain.Run(_e.Chain.Tx(_e.Chain.AcmeAdmin, EpcisModule.ModuleName, EpcisNames.Location, new EpcisLocationPayload(Id(gln), country, lat, lon)));

    private void Register(string gln, string country, int lat, int lon) => Assert.True(Location(gln, country, lat, lon).Succeeded);

    private string At(string location, string bizStep, string epc, string? disposition = null) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{_e.NextTime()}}","eventTimeZoneOffset":"+00:00","action":"OBSERVE","bizStep":"{{bizStep}}",{{(disposition is null ? "" : $"\"disposition\":\"{disposition}\",")}}"epcList":["{{epc}}"],"bizLocation":{"id":"{{location}}"}""" + "}";

    private string Made(string location, string epc) =>
        $$"""{"type":"ObjectEvent","eventTime":"{{_e.NextTime()}}","eventTimeZoneOffset":"+00:00","action":"ADD","bizStep":"commissioning","epcList":["{{epc}}"],"bizLocation":{"id":"{{location}}"}""" + "}";

    private void Grant(EpcisRole role) =>
        Assert.True(_e.Chain.Run(_e.Chain.Tx(_e.Chain.AcmeAdmin, EpcisModule.ModuleName, EpcisModule.Role, new EpcisRolePayload("acme", role, Grant: true))).Succeeded);

    private string[] Codes(string epc) => [.. _e.Flags(epc).Select(f => f.Code)];

    [Fact]
    public void An_item_seen_faster_than_travel_allows_is_flagged_as_a_clone()
    {
        _e.AnchorOk(Document(Made(Shanghai, Item1)));
        _e.Skip(minutes: 10);
        _e.AnchorOk(Document(At(ShanghaiPort, "shipping", Item1)));
        Assert.Empty(_e.Flags(Item1)); // 18 km in 11 minutes is a fast truck, not a clone

        _e.Skip(minutes: 60);
        _e.AnchorOk(Document(At(HongKong, "receiving", Item1)));
        var flag = _e.Flags(Item1)[0];
        Assert.Equal(EpcisErrors.ImpossibleTravel, flag.Code);
        Assert.Contains("faster than 1000 km/h", flag.Reason, StringComparison.Ordinal);
        Assert.Contains("(CN)", flag.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Distances_are_integer_and_close_to_the_great_circle()
    {
        var shanghai = new LocationRecord("a", "CN", 31_230_400, 121_473_700);
        var hongKong = new LocationRecord("a", "HK", 22_319_300, 114_169_400);
        Assert.InRange(ItemPlaces.DistanceMetres(shanghai, hongKong), 1_205_000, 1_245_000); // great circle: 1,228 km
        Assert.Equal(ItemPlaces.DistanceMetres(shanghai, hongKong), ItemPlaces.DistanceMetres(hongKong, shanghai));
        Assert.Equal(0, ItemPlaces.DistanceMetres(shanghai, shanghai));
        // Across the antimeridian: 0.2° of longitude at the equator, not 359.8°.
        Assert.InRange(ItemPlaces.DistanceMetres(new("a", "FJ", 0, 179_900_000), new("a", "FJ", 0, -179_900_000)), 22_000, 22_500);
    }

    [Fact]
    public void A_shipment_entering_another_country_needs_a_customs_clearance()
    {
        _e.AnchorOk(Document(Made(Shanghai, Pallet1)));
        _e.Skip(minutes: 600);
        _e.AnchorOk(Document(At(HongKong, "receiving", Pallet1)));
        Assert.Equal([EpcisErrors.NotCleared], Codes(Pallet1));
    }

    [Fact]
    public void Customs_declares_and_clears_and_the_shipment_and_what_it_holds_enter()
    {
        var packed = _e.Aggregate("ADD", Pallet1, Item1);
        _e.AnchorOk(Document(Made(Shanghai, Item1), packed[..^1] + $$""","bizLocation":{"id":"{{Shanghai}}"}""" + "}"));
        _e.AnchorOk(Document(At(HongKongCustoms, ItemPlaces.Declaring, Pallet1)));
        Assert.Equal([EpcisErrors.RoleMissing], Codes(Pallet1)); // acme is not customs yet

        Grant(EpcisRole.Customs);
        Grant(EpcisRole.Inspection);
        _e.AnchorOk(Document(At(HongKongCustoms, ItemPlaces.Clearing, Pallet2.Replace("2", "3", StringComparison.Ordinal))));
        _e.AnchorOk(Document(At(HongKongCustoms, ItemPlaces.Clearing, Pallet1)));
        Assert.Equal(EpcisErrors.NotDeclared, Codes(Pallet1)[^1]);

        _e.AnchorOk(Document(At(HongKongCustoms, ItemPlaces.Declaring, Pallet1)));
        _e.AnchorOk(Document(At(HongKongCustoms, "inspecting", Pallet1, "non_conformant")));
        _e.AnchorOk(Document(At(HongKongCustoms, ItemPlaces.Clearing, Pallet1)));
        Assert.Equal(EpcisErrors.InspectionFailed, Codes(Pallet1)[^1]);
        _e.AnchorOk(Document(At(HongKongCustoms, "inspecting", Pallet1, "conformant")));
        var flags = Codes(Pallet1).Length;
        _e.AnchorOk(Document(At(HongKongCustoms, ItemPlaces.Clearing, Pallet1)));
        Assert.True(EpcisModule.ReadCustoms(_e.Chain, Id(Pallet1), "HK")!.IsCleared);

        // The customs office's events did not move the pallet: it is still in Shanghai until it is received.
        Assert.Equal(Id(Shanghai), _e.Item(Pallet1)!.LastLocation);
        _e.Skip(minutes: 600);
        _e.AnchorOk(Document(At(HongKong, "receiving", Pallet1), _e.Aggregate("DELETE", Pallet1)));
        Assert.Equal(flags, Codes(Pallet1).Length);
        Assert.Empty(_e.Flags(Item1)); // cleared as the pallet it came in
    }

    [Fact]
    public void A_location_is_held_by_the_organisation_that_registered_it_and_must_be_well_formed()
    {
        _e.Chain.AssertRefused(EpcisErrors.LocationInvalid, () => Location(Shanghai, "China", 31_000_000, 121_000_000));
        _e.Chain.AssertRefused(EpcisErrors.LocationInvalid, () => Location(Shanghai, "CN", 91_000_000, 121_000_000));
        _e.Chain.AssertRefused(EpcisErrors.LocationInvalid, () => _e.Chain.Run(_e.Chain.Tx(_e.Chain.AcmeAdmin, EpcisModule.ModuleName, EpcisNames.Location,
            new EpcisLocationPayload(Id(Item1), "CN", 0, 0))));
        Register(Shanghai, "CN", 31_230_500, 121_473_700); // its holder moves it
        Assert.Equal(31_230_500, EpcisModule.ReadLocation(_e.Chain, Id(Shanghai))!.LatE6);
    }
}
