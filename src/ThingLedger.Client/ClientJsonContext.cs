using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Verification;

namespace ThingLedger.Client;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(SubmitResponse))]
[JsonSerializable(typeof(TxView))]
[JsonSerializable(typeof(BlockView))]
[JsonSerializable(typeof(Page<BlockView>))]
[JsonSerializable(typeof(StateEntryView))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(Page<TxView>))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(FinalityView))]
[JsonSerializable(typeof(NetworkStatusView))]
[JsonSerializable(typeof(BlockEvent))]
[JsonSerializable(typeof(ProofDocument))]
[JsonSerializable(typeof(ProblemView))]
[JsonSerializable(typeof(RatesView))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class ClientJsonContext : JsonSerializerContext;
