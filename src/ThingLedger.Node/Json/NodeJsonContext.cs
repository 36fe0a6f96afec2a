using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace ThingLedger.Node.Json;

/// <summary>
/// The node's own JSON types (problem details). The API contract types are serialised with
/// the SDK's <see cref="Client.ClientJson.Resolver"/> (the kernel's and every module's), so node and SDK share one definition.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
public sealed partial class NodeJsonContext : JsonSerializerContext;
