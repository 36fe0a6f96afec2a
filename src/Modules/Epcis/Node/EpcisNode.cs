using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Execution.Modules.Epcis;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>The epcis module's node part: so far, GS1 identifiers checked and written in each form.</summary>
internal sealed class EpcisNode : NodeModule
{
    public const string DefaultResolver = "https://id.gs1.org";

    public override string Module => EpcisModule.ModuleName;

    public override void MapApi(RouteGroupBuilder v1)
    {
        var epcis = v1.MapGroup("/epcis").WithTags("EPCIS");
        epcis.MapGet("/identifiers", Identifier).WithName("GetGs1Identifier")
            .WithSummary("A GS1 identifier (Digital Link, EPC URN or element string) checked and written in each form; a malformed one is refused with its EPCIS_ code.");
    }

    private static Results<Ok<Gs1IdView>, ProblemHttpResult> Identifier(string? id, int? prefixLength, string? resolver)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return Problems.BadRequest("give id: a GS1 Digital Link URI, an EPC URN or an element string");
        }
        if (Gs1Id.Parse(id, out var error) is not { } parsed || Gs1IdView.Of(parsed, id, prefixLength, resolver ?? DefaultResolver, out error) is not { } view)
        {
            return Problems.Of(error!.Code, error.Message);
        }
        return TypedResults.Ok(view);
    }
}
