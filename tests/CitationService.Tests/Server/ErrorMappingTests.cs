using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using CitationService.Contracts;
using CitationService.Contracts.V1;
using CitationService.Core.Classification;
using CitationService.Core.Model;
using CitationService.Server.Startup;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using CitationRole = CitationService.Core.Model.CitationRole;
using CitationPolarity = CitationService.Core.Model.CitationPolarity;

namespace CitationService.Tests.Server;

/// <summary>
/// What escapes a handler, or never reaches one, becomes a precise status and one log line. A store that is busy
/// (a lock another connection holds) on each engine; the rest, which never reaches the store, on SQLite.
/// </summary>
public abstract class ErrorMappingTests(TestEngine engine) : IAsyncLifetime
{
    /// <summary>With the tests of what never reaches the store, which need one engine only.</summary>
    public sealed class OnSqlite() : ErrorMappingTests(TestEngine.Sqlite)
    {
        [Theory]
        [InlineData(new byte[] { 0x0A, 0xFF })] // hub_id's length: a truncated varint
        [InlineData(new byte[] { 0x0F, 0x00 })] // field 1 with wire type 7
        [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 })] // hub_id: invalid UTF-8
        public async Task GetHub_fails_with_internal_and_logs_one_line_without_a_stack_trace_when_the_request_does_not_parse(byte[] request)
        {
            _log.Clear();

            var e = await Assert.ThrowsAsync<RpcException>(() =>
                _host.Channel.CreateCallInvoker().AsyncUnaryCall(RawGetHub, null, new CallOptions(), request).ResponseAsync);

            Assert.Equal(StatusCode.Internal, e.StatusCode);
            Assert.StartsWith("Error parsing request message: ", e.Status.Detail);
            var line = Assert.Single(Logged());
            Assert.Equal("RequestNotParsed", line.EventId.Name);
            Assert.Contains("/citations.v1.HubService/GetHub", line.Message);
            Assert.Null(line.Exception);
            Assert.DoesNotContain("   at ", line.Message);
        }

        [Theory]
        [InlineData(new byte[] { 0x0A, 0xFF })] // hub_id's length: a truncated varint
        [InlineData(new byte[] { 0x0F, 0x00 })] // field 1 with wire type 7
        [InlineData(new byte[] { 0x0A, 0x02, 0xC3, 0x28 })] // hub_id: invalid UTF-8
        public async Task GetHub_names_the_parsers_reason_in_its_status_and_its_log_line_when_the_request_does_not_parse(byte[] request)
        {
            _log.Clear();
            var parser = Assert.Throws<InvalidProtocolBufferException>(() => GetHubRequest.Parser.ParseFrom(request));

            var e = await Assert.ThrowsAsync<RpcException>(() =>
                _host.Channel.CreateCallInvoker().AsyncUnaryCall(RawGetHub, null, new CallOptions(), request).ResponseAsync);

            Assert.Equal($"Error parsing request message: {parser.Message}", e.Status.Detail);
            Assert.EndsWith($"could not be parsed ({parser.Message})", Assert.Single(Logged()).Message);
        }

        [Fact]
        public async Task Classify_fails_with_internal_and_an_error_id_the_log_carries_when_the_classifier_throws()
        {
            await _host.DisposeAsync();
            _host = Start(services => services.AddSingleton<ICitationClassifier, BrokenClassifier>());
            _log.Clear();

            var e = await Assert.ThrowsAsync<RpcException>(() => new ClassificationService.ClassificationServiceClient(_host.Channel)
                .ClassifyAsync(new ClassifyRequest { Text = "We fine-tune the model on their data." }).ResponseAsync);

            Assert.Equal(StatusCode.Internal, e.StatusCode);
            var id = Regex.Match(e.Status.Detail, "^Internal error ([0-9a-f]{8});").Groups[1].Value;
            Assert.NotEmpty(id);
            Assert.DoesNotContain(BrokenClassifier.Secret, e.Status.Detail);
            var line = Assert.Single(Logged());
            Assert.Equal("CallFailed", line.EventId.Name);
            Assert.Equal(LogLevel.Error, line.Level);
            Assert.Contains($"error id {id}", line.Message);
            Assert.Contains(BrokenClassifier.Secret, line.Exception?.Message);
        }
        [Fact]
        public async Task GetHub_keeps_the_handlers_status_and_logs_one_CallRejected_line_naming_method_code_and_detail()
        {
            _log.Clear();

            var e = await Assert.ThrowsAsync<RpcException>(() => new HubService.HubServiceClient(_host.Channel).GetHubAsync(new GetHubRequest()).ResponseAsync);

            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            var line = Assert.Single(Logged());
            Assert.Equal("CallRejected", line.EventId.Name);
            Assert.Equal($"/citations.v1.HubService/GetHub failed with InvalidArgument: {e.Status.Detail}", line.Message);
        }

        [Fact]
        public async Task StreamCitingPapers_keeps_the_handlers_not_found_and_logs_one_CallRejected_line()
        {
            _log.Clear();

            var e = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = new HubService.HubServiceClient(_host.Channel).StreamCitingPapers(new StreamCitingPapersRequest { HubId = "hub_missing" });
                await call.ResponseStream.MoveNext();
            });

            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            var line = Assert.Single(Logged());
            Assert.Equal("CallRejected", line.EventId.Name);
            Assert.StartsWith("/citations.v1.HubService/StreamCitingPapers failed with NotFound: ", line.Message);
        }

        [Fact]
        public async Task ClassifyStream_keeps_the_handlers_invalid_argument_and_logs_one_CallRejected_line()
        {
            _log.Clear();

            var e = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                using var call = new ClassificationService.ClassificationServiceClient(_host.Channel).ClassifyStream();
                await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = " " } });
                await call.ResponseStream.MoveNext();
            });

            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            var line = Assert.Single(Logged());
            Assert.Equal("CallRejected", line.EventId.Name);
            Assert.StartsWith("/citations.v1.ClassificationService/ClassifyStream failed with InvalidArgument: requests[0].request.text", line.Message);
        }

        [Fact]
        public async Task ClassifyStream_logs_one_CallStopped_line_with_cancelled_when_the_client_cancels_it()
        {
            _log.Clear();
            using var cancel = new CancellationTokenSource();
            using var call = new ClassificationService.ClassificationServiceClient(_host.Channel).ClassifyStream(cancellationToken: cancel.Token);
            await call.RequestStream.WriteAsync(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = "We fine-tune the model on their data." } });
            Assert.True(await call.ResponseStream.MoveNext());

            await cancel.CancelAsync();

            var line = await SingleLoggedAsync();
            Assert.Equal("CallStopped", line.EventId.Name);
            Assert.StartsWith("/citations.v1.ClassificationService/ClassifyStream stopped with Cancelled: ", line.Message);
        }

        [Fact]
        public async Task ClassifyStream_logs_one_CallStopped_line_with_deadline_exceeded_when_its_deadline_passes_on_the_server()
        {
            // Grpc.Net.Client enforces a deadline itself and resets the stream when it passes, so the service sees a
            // cancellation before its own deadline. A raw HTTP/2 call with a grpc-timeout header and a request stream
            // left open leaves the deadline to the service alone, over a real connection (Kestrel, h2c).
            await _host.DisposeAsync();
            _host = Start(loopback: true);
            _log.Clear();
            using var http = new HttpClient();
            var body = new OpenRequestStream(Frame(new ClassifyStreamRequest { Request = new ClassifyRequest { Text = "We fine-tune the model on their data." } }));
            body.Headers.ContentType = new("application/grpc");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/citations.v1.ClassificationService/ClassifyStream"))
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = body,
            };
            request.Headers.TE.ParseAdd("trailers");
            request.Headers.Add("grpc-timeout", "1S");
            request.Headers.Add(ApiKeyCredentials.Header, $"{ApiKeyCredentials.Scheme} {ServerHost.ApiKey}");

            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, giveUp.Token);
                Assert.Equal(HttpVersion.Version20, response.Version);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await response.Content.CopyToAsync(Stream.Null, giveUp.Token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !giveUp.IsCancellationRequested)
            {
                // The service resets the stream once it has sent the deadline's status; what it logged is the subject here.
            }
            finally
            {
                body.Close();
            }

            var line = await SingleLoggedAsync();
            Assert.Equal("CallStopped", line.EventId.Name);
            Assert.StartsWith("/citations.v1.ClassificationService/ClassifyStream stopped with DeadlineExceeded: ", line.Message);
        }

        /// <summary>A gRPC length-prefixed message: not compressed, its length big-endian, then its bytes.</summary>
        private static byte[] Frame(IMessage message)
        {
            var bytes = message.ToByteArray();
            var frame = new byte[5 + bytes.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)bytes.Length);
            bytes.CopyTo(frame, 5);
            return frame;
        }

        /// <summary>A request body that sends <paramref name="first"/> and then stays open until closed, as a client that has more to send.</summary>
        private sealed class OpenRequestStream(byte[] first) : HttpContent
        {
            private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

            public void Close() => _closed.TrySetResult();

            protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
                SerializeToStreamAsync(stream, context, CancellationToken.None);

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
            {
                await stream.WriteAsync(first, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                await _closed.Task.WaitAsync(cancellationToken);
            }

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;
            }
        }

        /// <summary>The one line the calls logged, once the service has written it (it may come after the client saw the call end).</summary>
        private async Task<LogCapture.Entry> SingleLoggedAsync()
        {
            var waited = Stopwatch.StartNew();
            while (Logged().Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }
            await Task.Delay(200);
            return Assert.Single(Logged());
        }
    }

    public sealed class OnPostgreSql() : ErrorMappingTests(TestEngine.PostgreSql);

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(bytes => bytes, bytes => bytes);
    private static readonly Method<byte[], byte[]> RawGetHub = new(MethodType.Unary, "citations.v1.HubService", "GetHub", Bytes, Bytes);

    private readonly LogCapture _log = new();
    private TestDatabase _database = null!;
    private ServerHost _host = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(engine);
        _host = Start();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task IngestHubPage_fails_with_unavailable_within_seconds_when_another_connection_holds_the_database_locked()
    {
        RpcException e;
        Stopwatch watch;
        await using (await _database.LockAsync())
        {
            _log.Clear();
            watch = Stopwatch.StartNew();

            e = await Assert.ThrowsAsync<RpcException>(() => new IngestionService.IngestionServiceClient(_host.Channel)
                .IngestHubPageAsync(new IngestHubPageRequest { PageText = "A Hub\n1 Pith paper cites this work.\nciting papers explorer\n- A Paper" }).ResponseAsync);
        }

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal("The store is busy or unavailable; retry with backoff.", e.Status.Detail);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        var line = Assert.Single(Logged());
        Assert.Equal("StoreUnavailable", line.EventId.Name);
        Assert.Null(line.Exception);
    }

    private ServerHost Start(Action<IServiceCollection>? services = null, bool loopback = false) =>
        ServerHost.Start(_database, seedDirectory: "", loopback: loopback, configure: web =>
        {
            web.UseSetting("Storage:LockTimeout", "00:00:01");
            web.ConfigureTestServices(s =>
            {
                s.AddSingleton<ILoggerProvider>(_log);
                services?.Invoke(s);
            });
        });

    // Lines the host writes on its own schedule while it starts (they may land after a test cleared the log).
    private static readonly string[] StartUpCategories = [typeof(LabelSweepService).FullName!, "Microsoft.Hosting.Lifetime"];

    /// <summary>What the calls logged: lines of Information and above, less the start-up lines.</summary>
    private IReadOnlyList<LogCapture.Entry> Logged() =>
        [.. _log.Entries.Where(entry => entry.Level >= LogLevel.Information && !StartUpCategories.Contains(entry.Category))];

    /// <summary>A classifier with a bug: it throws, with a message no caller should see.</summary>
    private sealed class BrokenClassifier : ICitationClassifier
    {
        public const string Secret = "index 7 out of range in /srv/models/role.bin";

        public string RoleModelVersion => "broken";

        public string PolarityModelVersion => "broken";

        public string RoleSentenceModelVersion => "broken";

        public string PolaritySentenceModelVersion => "broken";

        public LabelPrediction<CitationRole> ClassifyRole(CitationText text) => throw new InvalidOperationException(Secret);

        public LabelPrediction<CitationPolarity> ClassifyPolarity(CitationText text) => throw new InvalidOperationException(Secret);
    }
}
