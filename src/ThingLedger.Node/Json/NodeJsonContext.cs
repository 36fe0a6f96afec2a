using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using ThingLedger.Client.Contracts;

namespace ThingLedger.Node.Json;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(SubmitResponse))]
[JsonSerializable(typeof(TxView))]
[JsonSerializable(typeof(BlockView))]
[JsonSerializable(typeof(Page<BlockView>))]
[JsonSerializable(typeof(StateEntryView))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(OrgView))]
[JsonSerializable(typeof(List<OrgView>))]
[JsonSerializable(typeof(Page<MemberView>))]
[JsonSerializable(typeof(DeviceView))]
[JsonSerializable(typeof(Page<DeviceView>))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(List<TokenView>))]
[JsonSerializable(typeof(BalanceView))]
[JsonSerializable(typeof(Page<BalanceView>))]
[JsonSerializable(typeof(Page<TxView>))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(BlockEvent))]
[JsonSerializable(typeof(Core.Verification.ProofDocument))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
public sealed partial class NodeJsonContext : JsonSerializerContext;
