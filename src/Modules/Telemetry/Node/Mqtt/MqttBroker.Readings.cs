using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Api;
using ThingLedger.Storage;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>A readings message: checked, stored as an HTTP upload would be, answered and acknowledged.</summary>
public sealed partial class MqttBroker
{
    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        // Nothing a client publishes is routed to other clients.
        e.ProcessPublish = false;
        var started = Stopwatch.GetTimestamp();
        if (DeviceOf(e.SessionItems) is not { } device)
        {
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            e.CloseConnection = true;
            return;
        }
        _presence.Message(device, _clock.GetUtcNow());
        (MqttPubAckReasonCode Reason, byte[]? Result, string? Code, bool Transient) outcome;
        try
        {
            outcome = await HandleReadingsAsync(e, device).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogPublishFailed(failure, e.ClientId);
            outcome = Refuse(MqttPubAckReasonCode.UnspecifiedError, ErrorCodes.Internal, "the node failed to handle this message; it has been logged. Nothing of it was acknowledged: send it again", transient: true);
        }
        var (reason, result, code, transient) = outcome;
        e.Response.ReasonCode = reason;
        if (code is not null)
        {
            e.Response.ReasonString = code;
            _presence.CountRefusal(code);
        }
        _presence.CountOutcome(code is null ? "accepted" : reason == MqttPubAckReasonCode.ImplementationSpecificError ? "partly_refused" : "refused");
        var message = e.ApplicationMessage;
        if (result is not null)
        {
            // To every session of the device subscribed to the result's topic (a monitor beside the device sees them too); nobody else may subscribe to it.
            var topics = new MqttTopics(_node.Genesis.ChainId, device);
            var to = message.ResponseTopic is { } responseTopic && IsUnderResults(topics, responseTopic) ? responseTopic : topics.Results;
            MqttApplicationMessage? answer = null;
            foreach (var clientId in _presence.Clients(device))
            {
                if (_subscribers.TryGetValue(clientId, out var subscriber) && subscriber.Has(to))
                {
                    subscriber.Deliver(answer ??= Message(to, result, message.CorrelationData, MqttQualityOfServiceLevel.AtMostOnce));
                }
            }
        }
        // MQTT 3.1.1 has no reason codes in a PUBACK: a message that may succeed later gets none, and the client sends it again.
        if (transient && e.SessionItems[V5Item] is not true && message.QualityOfServiceLevel != MqttQualityOfServiceLevel.AtMostOnce)
        {
            e.CloseConnection = true;
        }
        _presence.CountPuback(Stopwatch.GetElapsedTime(started));
    }

    private async Task<(MqttPubAckReasonCode Reason, byte[]? Result, string? Code, bool Transient)> HandleReadingsAsync(InterceptingPublishEventArgs e, Address device)
    {
        var message = e.ApplicationMessage;
        var topics = new MqttTopics(_node.Genesis.ChainId, device);
        if (message.Topic != topics.Readings)
        {
            var named = MqttTopics.Parse(_node.Genesis.ChainId, message.Topic);
            return named is { } n && (n.Device != device.ToString() || n.Path is "results" or "receipts" or "config" || n.Path.StartsWith("results/", StringComparison.Ordinal))
                ? Refuse(MqttPubAckReasonCode.NotAuthorized, TelemetryErrors.MqttTopicForbidden, $"device {device} publishes only to {topics.Readings}, not '{message.Topic}'")
                : Refuse(MqttPubAckReasonCode.TopicNameInvalid, TelemetryErrors.MqttTopicUnknown, $"'{message.Topic}' is no topic of this node; readings go to {topics.Readings}");
        }
        if (message.Retain)
        {
            return Refuse(MqttPubAckReasonCode.NotAuthorized, TelemetryErrors.MqttTopicForbidden, "the node retains nothing: publish readings without the retain flag");
        }
        if (message.ResponseTopic is { } responseTopic && !IsUnderResults(topics, responseTopic) && responseTopic != topics.Results)
        {
            return Refuse(MqttPubAckReasonCode.NotAuthorized, TelemetryErrors.MqttTopicForbidden, $"the response topic must be {topics.Results} or under it, not '{responseTopic}'");
        }
        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            return Refuse(MqttPubAckReasonCode.UnspecifiedError, TelemetryErrors.MqttQos0Refused,
                "readings are published at QoS 1: QoS 0 has no acknowledgement, so the device could not know they were stored; nothing was stored");
        }
        if (!_rates.GetOrAdd(device, _ => new TokenBucket(_options.MessagesPerSecond, _options.MessageBurst)).TryTake(Stopwatch.GetTimestamp(), out var waitMs))
        {
            return Refuse(MqttPubAckReasonCode.QuotaExceeded, TelemetryErrors.MqttRateLimited,
                $"device {device} may send {_options.MessagesPerSecond} messages/s (bursts of {_options.MessageBurst}); send again in {waitMs} ms", transient: true);
        }
        if (message.Payload.Length > _options.MaxMessageBytes)
        {
            return Refuse(MqttPubAckReasonCode.QuotaExceeded, TelemetryErrors.MqttMessageTooLarge,
                $"the payload is {message.Payload.Length} bytes; this node takes at most {_options.MaxMessageBytes} per message: send fewer readings per message");
        }
        if (_node.Fault is { } fault)
        {
            return Refuse(MqttPubAckReasonCode.UnspecifiedError, ErrorCodes.NodeUnavailable, fault, transient: true);
        }
        var payload = message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray();
        var items = IsJson(message, payload)
            ? ReadingUploadDecoder.FromJson(payload, _node.Schemas, _node.Options.MaxUploadReadings, out var problem)
            : ReadingUploadDecoder.FromBinary(payload, _node.Options.MaxUploadReadings, out problem);
        if (problem is not null)
        {
            var code = problem.ProblemDetails.Extensions.TryGetValue("code", out var c) && c is string s ? s : ErrorCodes.ReadingsMalformed;
            return Refuse(code == ErrorCodes.BatchTooLarge ? MqttPubAckReasonCode.QuotaExceeded : MqttPubAckReasonCode.PayloadFormatInvalid, code, problem.ProblemDetails.Detail ?? code);
        }
        if (items!.Length == 0)
        {
            return Refuse(MqttPubAckReasonCode.PayloadFormatInvalid, ErrorCodes.BatchEmpty, "the message holds no readings");
        }
        foreach (var item in items)
        {
            var other = item.BatchDevice is { } batchDevice && batchDevice != device
                ? batchDevice
                : item.Readings.Select(r => r.Reading?.Device).FirstOrDefault(d => d is { } d2 && d2 != device);
            if (other is { } foreign)
            {
                return Refuse(MqttPubAckReasonCode.NotAuthorized, TelemetryErrors.MqttForeignReading,
                    $"the message holds readings of device {foreign}; device {device} sends only its own. Nothing of the message was stored");
            }
        }
        ReadingOutcome[] outcomes;
        try
        {
            outcomes = await _queue.IngestAsync(device, items).ConfigureAwait(false);
        }
        catch (StorageException failure)
        {
            _node.ReportStorageFailure(failure, _disk);
            return Refuse(MqttPubAckReasonCode.UnspecifiedError, ErrorCodes.NodeUnavailable, $"{failure.Message}; nothing of this message was stored, send it again later", transient: true);
        }
        var onlyRejected = message.UserProperties?.Any(p => p.Name == "results" && System.Text.Encoding.UTF8.GetString(p.ValueBuffer.Span) == ReadingUploadStatus.Rejected.Text()) == true;
        var response = ReadingIngest.Response(outcomes, onlyRejected);
        _node.Metrics.CountReadings(response.Accepted, response.Duplicates, response.Rejected);
        // The counts ride on the PUBACK too (MQTT 5 user properties); asked for the refused only, with none refused, that is the whole answer.
        e.Response.UserProperties =
        [
            new MqttUserProperty("accepted", Count(response.Accepted)),
            new MqttUserProperty("duplicates", Count(response.Duplicates)),
            new MqttUserProperty("rejected", Count(response.Rejected)),
        ];
        var json = onlyRejected && response.Rejected == 0 ? null : JsonSerializer.SerializeToUtf8Bytes(response, TelemetryJson.Default.ReadingUploadResponse);
        return response.Rejected == 0
            ? (MqttPubAckReasonCode.Success, json, null, false)
            : (MqttPubAckReasonCode.ImplementationSpecificError, json, "READINGS_REFUSED", false);
    }

    private static ReadOnlyMemory<byte> Count(int n) => System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static (MqttPubAckReasonCode, byte[]?, string?, bool) Refuse(MqttPubAckReasonCode reason, string code, string detail, bool transient = false) =>
        (reason, JsonSerializer.SerializeToUtf8Bytes(new MqttRefusal(code, detail), TelemetryJson.Default.MqttRefusal), code, transient);

    /// <summary>MQTT 5 says so by content type or payload format indicator; MQTT 3.1.1 cannot, so a payload starting with '{' is JSON.</summary>
    private static bool IsJson(MqttApplicationMessage message, ReadOnlySpan<byte> payload) =>
        message.ContentType is { } type
            ? type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            : message.PayloadFormatIndicator == MqttPayloadFormatIndicator.CharacterData || (payload.Length > 0 && payload[0] == (byte)'{');
}
