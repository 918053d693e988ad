package ${{ values.basePackage }}.greeting

import org.springframework.stereotype.Service

/** Builds greetings. Pure logic, so it is unit-tested without Spring. */
@Service
class GreetingService {

    fun greet(name: String, salutation: String? = null): Greeting {
        val cleanName = name.trim()
        val cleanSalutation = salutation?.trim()?.takeIf { it.isNotEmpty() } ?: DEFAULT_SALUTATION
        return Greeting(message = "$cleanSalutation, $cleanName!", name = cleanName)
    }

    companion object {
        const val DEFAULT_SALUTATION = "Hello"
    }
}
