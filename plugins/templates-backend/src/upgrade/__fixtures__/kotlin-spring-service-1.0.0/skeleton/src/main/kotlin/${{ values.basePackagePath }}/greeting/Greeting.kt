package ${{ values.basePackage }}.greeting

import jakarta.validation.constraints.NotBlank
import jakarta.validation.constraints.Pattern
import jakarta.validation.constraints.Size

/** A greeting returned by the API. */
data class Greeting(
    val message: String,
    val name: String,
)

/**
 * Body of `POST /api/greetings`.
 *
 * Fields default to values that fail validation rather than being non-null
 * without default: a missing field then produces the same field-level 400 as an
 * invalid one, instead of a JSON parsing error.
 */
data class CreateGreetingRequest(
    @field:NotBlank
    @field:Size(max = MAX_NAME_LENGTH)
    val name: String = "",

    @field:Size(min = 1, max = MAX_SALUTATION_LENGTH)
    @field:Pattern(regexp = "[\\p{L} ,.'!-]*", message = "must contain only letters, spaces and punctuation")
    val salutation: String? = null,
)

const val MAX_NAME_LENGTH = 100
const val MAX_SALUTATION_LENGTH = 40
