package ${{ values.basePackage }}

import io.swagger.v3.oas.annotations.OpenAPIDefinition
import io.swagger.v3.oas.annotations.info.Info
import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication

/** Entry point of ${{ values.name }}. */
@SpringBootApplication
@OpenAPIDefinition(info = Info(title = "${{ values.name }}", version = "v1"))
class Application

fun main(args: Array<String>) {
    runApplication<Application>(*args)
}
