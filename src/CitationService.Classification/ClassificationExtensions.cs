using CitationService.Core.Classification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CitationService.Classification;

/// <summary>Registers the model-based citation classifier.</summary>
public static class ClassificationExtensions
{
    /// <summary>
    /// Binds <see cref="ClassifierOptions"/> from the <c>Classification</c> section (validated on start) and registers
    /// <see cref="ICitationClassifier"/> as a singleton that loads the models from
    /// <see cref="ClassifierOptions.ModelsDirectory"/>, resolved against the content root. A missing model file fails
    /// resolution with a message naming the path and saying to run <c>citations train</c>.
    /// </summary>
    public static IHostApplicationBuilder AddCitationClassifier(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClassifierOptions>()
            .BindConfiguration(ClassifierOptions.Section)
            .Validate(o => o.ConfidenceThreshold is >= 0f and <= 1f, "Classification:ConfidenceThreshold must lie within [0, 1].")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ModelsDirectory), "Classification:ModelsDirectory must not be empty.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ClassifierOptions>>().Value;
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return ModelCitationClassifier.Load(ResolveModelsDirectory(contentRoot, options.ModelsDirectory));
        });
        builder.Services.AddSingleton<ICitationClassifier>(sp => sp.GetRequiredService<ModelCitationClassifier>());
        builder.Services.AddSingleton<ISummaryLabeler, SummaryLabeler>();
        // The served models: versions, labels, test figures.
        builder.Services.AddSingleton(sp => sp.GetRequiredService<ModelCitationClassifier>().Manifest);
        return builder;
    }

    /// <summary>An absolute <paramref name="modelsDirectory"/> as is; a relative one under <paramref name="contentRoot"/>.</summary>
    private static string ResolveModelsDirectory(string contentRoot, string modelsDirectory) =>
        Path.GetFullPath(Path.IsPathRooted(modelsDirectory) ? modelsDirectory : Path.Combine(contentRoot, modelsDirectory));
}
