# The daemon in a container (used by docker-compose.yml). Build: docker build -t metal3 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish Metal3.Server/Metal3.Server.csproj -c Release -o /out --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# iPXE binaries for TFTP (Metal3:Pxe:Tftp:Root defaults to Debian's /usr/lib/ipxe); curl for the compose healthcheck.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ipxe curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out /opt/metal3
ENV Metal3__DataDir=/var/lib/metal3 \
    DOTNET_ENVIRONMENT=Production
VOLUME /var/lib/metal3
WORKDIR /opt/metal3
EXPOSE 6385
ENTRYPOINT ["dotnet", "/opt/metal3/Metal3.Server.dll"]
