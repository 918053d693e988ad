package ${{ values.basePackage }}

import java.text.Normalizer

/**
 * Turns free text into URL- and DNS-friendly identifiers ("slugs").
 *
 * A sample API of the `${{ values.name }}` library: replace it with your own.
 *
 * ```kotlin
 * val slugs = Slugs(maxLength = 20)
 * slugs.slugify("Crème Brûlée Recipes!") // "creme-brulee-recipes"
 * slugs.isSlug("orders-service")         // true
 * ```
 *
 * @property maxLength the longest slug [slugify] returns; 63 by default, the
 *   limit of a DNS label.
 */
public class Slugs(public val maxLength: Int = DEFAULT_MAX_LENGTH) {

    init {
        require(maxLength >= 1) { "maxLength must be at least 1, was $maxLength" }
    }

    /**
     * Returns the slug of [text]: accents removed, lower case, every run of
     * characters other than `a-z` and `0-9` replaced by one `-`, no leading or
     * trailing `-`, cut to [maxLength] on a word boundary when possible.
     *
     * @throws IllegalArgumentException if [text] has no letter or digit at all.
     */
    public fun slugify(text: String): String {
        val ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replace(COMBINING_MARKS, "")
        val slug = ascii.lowercase().replace(NON_ALPHANUMERIC, "-").trim('-')
        require(slug.isNotEmpty()) { "text must contain at least one letter or digit" }
        return truncate(slug)
    }

    /** Whether [candidate] is already a valid slug no longer than [maxLength]. */
    public fun isSlug(candidate: String): Boolean =
        candidate.length <= maxLength && SLUG.matches(candidate)

    private fun truncate(slug: String): String {
        if (slug.length <= maxLength) return slug
        val cut = slug.take(maxLength)
        val lastDash = cut.lastIndexOf('-')
        return (if (lastDash > 0) cut.take(lastDash) else cut).trimEnd('-')
    }

    public companion object {
        /** Default [maxLength]: the length limit of a DNS label. */
        public const val DEFAULT_MAX_LENGTH: Int = 63

        private val COMBINING_MARKS = Regex("\\p{Mn}+")
        private val NON_ALPHANUMERIC = Regex("[^a-z0-9]+")
        private val SLUG = Regex("[a-z0-9]+(-[a-z0-9]+)*")
    }
}
