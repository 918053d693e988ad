package ${{ values.basePackage }}.features

import dev.openfeature.contrib.providers.flagd.Config
import dev.openfeature.contrib.providers.flagd.FlagdOptions
import dev.openfeature.contrib.providers.flagd.FlagdProvider
import dev.openfeature.sdk.Client
import dev.openfeature.sdk.OpenFeatureAPI
import dev.openfeature.sdk.exceptions.OpenFeatureError
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.boot.context.properties.EnableConfigurationProperties
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** Keys of the flags in flags/flags.json that the code reads. */
object Features {
    /** Boolean: greetings in capitals. */
    const val GREETING_SHOUT = "greeting-shout"
}

/**
 * `feature-flags.file` (environment: FEATURE_FLAGS_FILE): the flagd flag
 * definition file, relative to the working directory unless absolute.
 * `feature-flags.poll-interval`: how often it is checked for changes.
 */
@ConfigurationProperties("feature-flags")
data class FeatureFlagsProperties(
    val file: String = "flags/flags.json",
    val pollInterval: Duration = Duration.ofSeconds(2),
)

/**
 * Feature toggles through OpenFeature. The flagd provider evaluates the flag
 * file in-process (no flagd daemon) and polls it, so an edited file takes
 * effect within seconds, without a restart. A missing or invalid file fails
 * the start rather than silently serving defaults; a file that becomes
 * invalid later is logged and the last valid flags stay in force.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeatureFlagsProperties::class)
class FeatureFlagsConfiguration {

    // An isolated API, not the global singleton: each application context
    // (and each test context) owns its provider and shuts it down.
    @Bean(destroyMethod = "shutdown")
    fun openFeature(properties: FeatureFlagsProperties): OpenFeatureAPI {
        val file = Path.of(properties.file).toAbsolutePath()
        // flagd would retry a missing file until its deadline: say so at once
        check(Files.isReadable(file)) { "Feature flag file $file (feature-flags.file) is missing or unreadable" }
        val api = OpenFeatureAPI.createIsolated()
        try {
            api.setProviderAndWait(
                FlagdProvider(
                    FlagdOptions.builder()
                        .resolverType(Config.Resolver.FILE)
                        .offlineFlagSourcePath(file.toString())
                        .offlinePollIntervalMs(properties.pollInterval.toMillis().toInt())
                        // The first load (schema validation set-up on a cold
                        // JVM) can take longer than flagd's default of 1 s.
                        .deadline(INITIALIZATION_DEADLINE_MS)
                        .build(),
                ),
            )
        } catch (e: OpenFeatureError) {
            // the provider's threads would otherwise keep the failed JVM running
            api.shutdown()
            throw IllegalStateException("Feature flag file $file (feature-flags.file) could not be loaded", e)
        }
        return api
    }

    @Bean
    fun featureClient(openFeature: OpenFeatureAPI): Client = openFeature.client

    private companion object {
        const val INITIALIZATION_DEADLINE_MS = 5_000
    }
}
