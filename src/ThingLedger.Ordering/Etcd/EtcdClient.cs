using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace ThingLedger.Ordering.Etcd;

/// <summary>A key's current value and the revisions that wrote it.</summary>
public sealed record EtcdKeyValue(string Key, byte[] Value, long CreateRevision, long ModRevision);

/// <summary>One change seen by a watch: a put (value set) or a delete (value null).</summary>
public sealed record EtcdEvent(string Key, byte[]? Value, long Revision);

/// <summary>etcd could not do what was asked (no quorum, timeout, refused); nothing is known to have happened.</summary>
public class EtcdException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A watch asked for revisions etcd has already compacted away.</summary>
public sealed class EtcdCompactedException(long compactRevision)
    : EtcdException($"etcd has compacted its history up to revision {compactRevision}")
{
    public long CompactRevision { get; } = compactRevision;
}

/// <summary>
/// A small client for etcd v3's JSON/HTTP gateway (etcd 3.4: /v3/kv/*, /v3/watch, /v3/maintenance).
/// Keys and values travel base64-encoded; revisions as decimal strings. Requests go to one endpoint
/// and move to the next when it cannot be reached; a request that reached a member and failed is
/// not retried elsewhere, because it may have been applied (the caller decides).
/// </summary>
public sealed class EtcdClient : IDisposable
{
    private readonly Uri[] _endpoints;
    private readonly HttpClient _http;
    private readonly TimeSpan _requestTimeout;
    private int _current;

    public EtcdClient(IReadOnlyList<Uri> endpoints, TimeSpan requestTimeout)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required", nameof(endpoints));
        }
        _endpoints = [.. endpoints];
        _requestTimeout = requestTimeout;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2), PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Parses "http://a:2379,http://b:2379".</summary>
    public static Uri[] ParseEndpoints(string text)
    {
        var endpoints = new List<Uri>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                throw new FormatException($"etcd endpoint '{part}' must be an http(s) URL such as http://127.0.0.1:2379");
            }
            endpoints.Add(uri);
        }
        if (endpoints.Count == 0)
        {
            throw new FormatException("no etcd endpoint given");
        }
        return [.. endpoints];
    }

    public IReadOnlyList<Uri> Endpoints => _endpoints;

    /// <summary>Sets <paramref name="key"/>; returns the revision of the write.</summary>
    public async Task<long> PutAsync(string key, byte[] value, CancellationToken cancellationToken)
    {
        using var body = await PostAsync("/v3/kv/put", w =>
        {
            w.WriteString("key", Base64(key));
            w.WriteString("value", Convert.ToBase64String(value));
        }, cancellationToken).ConfigureAwait(false);
        return Revision(body.RootElement);
    }

    /// <summary>
    /// Creates <paramref name="key"/> only if it does not exist (one etcd transaction). Returns
    /// whether this call created it, and the revision of the key as it now stands.
    /// </summary>
    public async Task<(bool Created, long Revision)> CreateAsync(string key, byte[] value, CancellationToken cancellationToken)
    {
        var k = Base64(key);
        using var body = await PostAsync("/v3/kv/txn", w =>
        {
            w.WriteStartArray("compare");
            w.WriteStartObject();
            w.WriteString("target", "CREATE");
            w.WriteString("key", k);
            w.WriteString("createRevision", "0");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("success");
            w.WriteStartObject();
            w.WriteStartObject("requestPut");
            w.WriteString("key", k);
            w.WriteString("value", Convert.ToBase64String(value));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("failure");
            w.WriteStartObject();
            w.WriteStartObject("requestRange");
            w.WriteString("key", k);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
        var root = body.RootElement;
        if (root.TryGetProperty("succeeded", out var ok) && ok.GetBoolean())
        {
            return (true, Revision(root));
        }
        foreach (var response in root.GetProperty("responses").EnumerateArray())
        {
            if (response.TryGetProperty("response_range", out var range) && range.TryGetProperty("kvs", out var kvs))
            {
                foreach (var kv in kvs.EnumerateArray())
                {
                    return (false, ReadKeyValue(kv).ModRevision);
                }
            }
        }
        throw new EtcdException($"etcd refused to create '{key}' but does not show it");
    }

    /// <summary>The key's value, or null when it does not exist.</summary>
    public async Task<EtcdKeyValue?> GetAsync(string key, CancellationToken cancellationToken)
    {
        using var body = await PostAsync("/v3/kv/range", w => w.WriteString("key", Base64(key)), cancellationToken).ConfigureAwait(false);
        if (body.RootElement.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                return ReadKeyValue(kv);
            }
        }
        return null;
    }

    /// <summary>Every key under <paramref name="prefix"/> with its value, in key order.</summary>
    public async Task<List<EtcdKeyValue>> GetPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        using var body = await PostAsync("/v3/kv/range", w =>
        {
            w.WriteString("key", Base64(prefix));
            w.WriteString("range_end", Base64(PrefixEnd(prefix)));
        }, cancellationToken).ConfigureAwait(false);
        var found = new List<EtcdKeyValue>();
        if (body.RootElement.TryGetProperty("kvs", out var kvs))
        {
            foreach (var kv in kvs.EnumerateArray())
            {
                found.Add(ReadKeyValue(kv));
            }
        }
        return found;
    }

    /// <summary>Deletes the keys in [from, to).</summary>
    public async Task DeleteRangeAsync(string from, string to, CancellationToken cancellationToken)
    {
        using var _ = await PostAsync("/v3/kv/deleterange", w =>
        {
            w.WriteString("key", Base64(from));
            w.WriteString("range_end", Base64(to));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops history before <paramref name="revision"/>. Returns false when etcd has already
    /// compacted at or beyond it (another peer did it first).
    /// </summary>
    public async Task<bool> CompactAsync(long revision, CancellationToken cancellationToken)
    {
        try
        {
            using var _ = await PostAsync("/v3/kv/compaction", w => w.WriteString("revision", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EtcdException e) when (e.Message.Contains("compacted", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>The status of one member (version, database size, leader); throws when unreachable.</summary>
    public async Task<JsonDocument> StatusAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = Request(endpoint, "/v3/maintenance/status", _ => { });
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        return await ReadBody(response, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Every change under <paramref name="prefix"/> from <paramref name="startRevision"/> on, in
    /// revision order, until cancelled. Reconnects to the next endpoint when the stream breaks,
    /// resuming after the last revision delivered; throws <see cref="EtcdCompactedException"/> when
    /// the revisions asked for are gone, and <see cref="EtcdException"/> when no member answered
    /// for <paramref name="giveUpAfter"/>.
    /// </summary>
    public async IAsyncEnumerable<EtcdEvent> WatchAsync(string prefix, long startRevision, TimeSpan giveUpAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = startRevision;
        var failingSince = (DateTime?)null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var endpoint = _endpoints[Volatile.Read(ref _current) % _endpoints.Length];
            HttpResponseMessage? response = null;
            Stream? stream = null;
            try
            {
                var request = Request(endpoint, "/v3/watch", w =>
                {
                    w.WriteStartObject("create_request");
                    w.WriteString("key", Base64(prefix));
                    w.WriteString("range_end", Base64(PrefixEnd(prefix)));
                    w.WriteString("start_revision", next.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteEndObject();
                });
                // A member cut off from the leader cancels the watch instead of going quiet.
                request.Headers.Add("Grpc-Metadata-hasleader", "true");
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                request.Dispose();
                if (!response.IsSuccessStatusCode)
                {
                    throw new EtcdException($"etcd at {endpoint} answered {(int)response.StatusCode} to a watch");
                }
                stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or EtcdException or IOException)
            {
                response?.Dispose();
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - failingSince > giveUpAfter)
                {
                    throw new EtcdException($"no etcd member answered a watch for {giveUpAfter.TotalSeconds:F0} s: {e.Message}", e);
                }
                MoveToNextEndpoint(endpoint);
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                continue;
            }
            using (response)
            using (stream)
            {
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (true)
                {
                    string? line;
                    try
                    {
                        line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        break;
                    }
                    if (line is null)
                    {
                        break;
                    }
                    if (line.Length == 0)
                    {
                        continue;
                    }
                    var events = ParseWatchMessage(line, out var compacted, out var canceled);
                    if (compacted > 0)
                    {
                        throw new EtcdCompactedException(compacted);
                    }
                    failingSince = null;
                    foreach (var e in events)
                    {
                        next = e.Revision + 1;
                        yield return e;
                    }
                    if (canceled)
                    {
                        break;
                    }
                }
            }
            // The stream ended: the member went away or lost its leader. Resume elsewhere.
            failingSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - failingSince > giveUpAfter)
            {
                throw new EtcdException($"no etcd member kept a watch open for {giveUpAfter.TotalSeconds:F0} s");
            }
            MoveToNextEndpoint(endpoint);
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static List<EtcdEvent> ParseWatchMessage(string line, out long compacted, out bool canceled)
    {
        compacted = 0;
        canceled = false;
        var events = new List<EtcdEvent>();
        using var doc = JsonDocument.Parse(line);
        if (doc.RootElement.TryGetProperty("error", out var error))
        {
            throw new EtcdException($"etcd watch failed: {error}");
        }
        var result = doc.RootElement.GetProperty("result");
        if (result.TryGetProperty("compact_revision", out var compact))
        {
            compacted = long.Parse(compact.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }
        canceled = result.TryGetProperty("canceled", out var c) && c.GetBoolean();
        if (result.TryGetProperty("events", out var list))
        {
            foreach (var e in list.EnumerateArray())
            {
                var kv = ReadKeyValue(e.GetProperty("kv"));
                var deleted = e.TryGetProperty("type", out var type) && type.GetString() == "DELETE";
                events.Add(new EtcdEvent(kv.Key, deleted ? null : kv.Value, kv.ModRevision));
            }
        }
        return events;
    }

    private static EtcdKeyValue ReadKeyValue(JsonElement kv) => new(
        Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("key").GetString()!)),
        kv.TryGetProperty("value", out var value) ? Convert.FromBase64String(value.GetString()!) : [],
        LongOf(kv, "create_revision"),
        LongOf(kv, "mod_revision"));

    private static long LongOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) ? long.Parse(v.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static long Revision(JsonElement root) => LongOf(root.GetProperty("header"), "revision");

    private async Task<JsonDocument> PostAsync(string path, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (true)
        {
            var endpoint = _endpoints[Volatile.Read(ref _current) % _endpoints.Length];
            using var request = Request(endpoint, path, writeBody);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_requestTimeout);
            try
            {
                using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                return await ReadBody(response, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (IsUnreached(e) && ++attempts < _endpoints.Length * 2)
            {
                // Never reached a member: nothing happened, so another member may be asked.
                MoveToNextEndpoint(endpoint);
            }
            catch (HttpRequestException e)
            {
                MoveToNextEndpoint(endpoint);
                throw new EtcdException($"etcd is unreachable ({e.Message})", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                MoveToNextEndpoint(endpoint);
                throw new EtcdException($"etcd at {endpoint} did not answer within {_requestTimeout.TotalSeconds:F0} s", e);
            }
        }
    }

    private static bool IsUnreached(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.ConnectionError || e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private static async Task<JsonDocument> ReadBody(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var message = text;
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.TryGetProperty("error", out var error))
                {
                    message = error.GetString() ?? text;
                }
            }
            catch (JsonException)
            {
            }
            throw new EtcdException($"etcd: {message}");
        }
        return JsonDocument.Parse(text);
    }

    private void MoveToNextEndpoint(Uri failed)
    {
        var index = Array.IndexOf(_endpoints, failed);
        Interlocked.CompareExchange(ref _current, (index + 1) % _endpoints.Length, index);
    }

    private static HttpRequestMessage Request(Uri endpoint, string path, Action<Utf8JsonWriter> writeBody)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeBody(writer);
            writer.WriteEndObject();
        }
        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path)) { Content = content };
    }

    private static string Base64(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    /// <summary>The end of the range holding every key that starts with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    public void Dispose() => _http.Dispose();
}
