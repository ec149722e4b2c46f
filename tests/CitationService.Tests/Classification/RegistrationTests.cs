using CitationService.Classification;
using CitationService.Core.Classification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CitationService.Tests.Classification;

public class RegistrationTests
{
    private static HostApplicationBuilder Builder(string contentRoot, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddCitationClassifier();
        return builder;
    }

    [Fact]
    public void Resolves_the_committed_models_relative_to_the_content_root()
    {
        using var host = Builder(RepositoryPaths.Root).Build();
        var classifier = host.Services.GetRequiredService<ICitationClassifier>();
        Assert.StartsWith("summary-role-", classifier.RoleModelVersion);
        var options = host.Services.GetRequiredService<IOptions<ClassifierOptions>>().Value;
        Assert.Equal("models", options.ModelsDirectory);
        Assert.Equal(0.5f, options.ConfidenceThreshold);
    }

    [Fact]
    public void Missing_model_fails_at_resolution_naming_the_path_and_the_fix()
    {
        var empty = Path.Combine(Path.GetTempPath(), "citations-empty-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        try
        {
            using var host = Builder(empty).Build();
            var ex = Assert.Throws<FileNotFoundException>(() => host.Services.GetRequiredService<ICitationClassifier>());
            Assert.Contains(Path.Combine(empty, "models"), ex.Message);
            Assert.Contains("citations train", ex.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    public async Task Out_of_range_confidence_threshold_fails_on_start(string value)
    {
        using var host = Builder(RepositoryPaths.Root, ("Classification:ConfidenceThreshold", value)).Build();
        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
