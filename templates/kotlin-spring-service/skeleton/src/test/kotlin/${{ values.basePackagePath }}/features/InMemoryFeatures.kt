package ${{ values.basePackage }}.features

import dev.openfeature.sdk.Client
import dev.openfeature.sdk.OpenFeatureAPI
import dev.openfeature.sdk.providers.memory.Flag
import dev.openfeature.sdk.providers.memory.InMemoryProvider

/** An OpenFeature client over boolean flags held in memory, for tests. */
fun inMemoryFeatures(vararg flags: Pair<String, Boolean>): Client {
    val definitions = flags.associate { (key, on) ->
        key to Flag.builder<Boolean>()
            .variant("on", true)
            .variant("off", false)
            .defaultVariant(if (on) "on" else "off")
            .build()
    }
    return OpenFeatureAPI.createIsolated().apply { setProviderAndWait(InMemoryProvider(definitions)) }.client
}
