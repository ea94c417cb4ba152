/** The ivs service model for the operations the emulator serves, extracted from botocore by extract.ts (do not edit). */
import type { ServiceModel } from '../model.js';

export const model: ServiceModel = {
 "service": "ivs",
 "protocol": "rest-json",
 "signingName": "ivs",
 "apiVersion": "2020-07-14",
 "operations": {
  "CreateChannel": {
   "method": "POST",
   "uri": "/CreateChannel",
   "code": 200,
   "input": "CreateChannelRequest",
   "output": "CreateChannelResponse",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException",
    "PendingVerification",
    "ServiceQuotaExceededException"
   ]
  },
  "GetChannel": {
   "method": "POST",
   "uri": "/GetChannel",
   "code": 200,
   "input": "GetChannelRequest",
   "output": "GetChannelResponse",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException"
   ]
  },
  "ListChannels": {
   "method": "POST",
   "uri": "/ListChannels",
   "code": 200,
   "input": "ListChannelsRequest",
   "output": "ListChannelsResponse",
   "errors": [
    "AccessDeniedException",
    "ValidationException",
    "ConflictException"
   ]
  },
  "UpdateChannel": {
   "method": "POST",
   "uri": "/UpdateChannel",
   "code": 200,
   "input": "UpdateChannelRequest",
   "output": "UpdateChannelResponse",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException",
    "PendingVerification",
    "ConflictException"
   ]
  },
  "DeleteChannel": {
   "method": "POST",
   "uri": "/DeleteChannel",
   "code": 204,
   "input": "DeleteChannelRequest",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException",
    "PendingVerification",
    "ConflictException"
   ]
  },
  "BatchGetChannel": {
   "method": "POST",
   "uri": "/BatchGetChannel",
   "code": 200,
   "input": "BatchGetChannelRequest",
   "output": "BatchGetChannelResponse",
   "errors": [
    "AccessDeniedException",
    "ValidationException",
    "ServiceUnavailable"
   ]
  },
  "CreateStreamKey": {
   "method": "POST",
   "uri": "/CreateStreamKey",
   "code": 200,
   "input": "CreateStreamKeyRequest",
   "output": "CreateStreamKeyResponse",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException",
    "PendingVerification",
    "ServiceQuotaExceededException"
   ]
  },
  "GetStreamKey": {
   "method": "POST",
   "uri": "/GetStreamKey",
   "code": 200,
   "input": "GetStreamKeyRequest",
   "output": "GetStreamKeyResponse",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException"
   ]
  },
  "ListStreamKeys": {
   "method": "POST",
   "uri": "/ListStreamKeys",
   "code": 200,
   "input": "ListStreamKeysRequest",
   "output": "ListStreamKeysResponse",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException"
   ]
  },
  "DeleteStreamKey": {
   "method": "POST",
   "uri": "/DeleteStreamKey",
   "code": 204,
   "input": "DeleteStreamKeyRequest",
   "errors": [
    "ResourceNotFoundException",
    "AccessDeniedException",
    "ValidationException",
    "PendingVerification"
   ]
  },
  "BatchGetStreamKey": {
   "method": "POST",
   "uri": "/BatchGetStreamKey",
   "code": 200,
   "input": "BatchGetStreamKeyRequest",
   "output": "BatchGetStreamKeyResponse",
   "errors": [
    "AccessDeniedException",
    "ValidationException",
    "ServiceUnavailable"
   ]
  },
  "TagResource": {
   "method": "POST",
   "uri": "/tags/{resourceArn}",
   "code": 200,
   "input": "TagResourceRequest",
   "output": "TagResourceResponse",
   "errors": [
    "ResourceNotFoundException",
    "InternalServerException",
    "ValidationException"
   ]
  },
  "UntagResource": {
   "method": "DELETE",
   "uri": "/tags/{resourceArn}",
   "code": 200,
   "input": "UntagResourceRequest",
   "output": "UntagResourceResponse",
   "errors": [
    "ResourceNotFoundException",
    "InternalServerException",
    "ValidationException"
   ]
  },
  "ListTagsForResource": {
   "method": "GET",
   "uri": "/tags/{resourceArn}",
   "code": 200,
   "input": "ListTagsForResourceRequest",
   "output": "ListTagsForResourceResponse",
   "errors": [
    "ResourceNotFoundException",
    "InternalServerException",
    "ValidationException"
   ]
  }
 },
 "shapes": {
  "AccessDeniedException": {
   "type": "structure",
   "exception": true,
   "status": 403,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "BatchError": {
   "type": "structure",
   "members": {
    "arn": {
     "shape": "ResourceArn"
    },
    "code": {
     "shape": "errorCode"
    },
    "message": {
     "shape": "errorMessage"
    }
   }
  },
  "BatchErrors": {
   "type": "list",
   "member": "BatchError"
  },
  "BatchGetChannelRequest": {
   "type": "structure",
   "required": [
    "arns"
   ],
   "members": {
    "arns": {
     "shape": "ChannelArnList"
    }
   }
  },
  "BatchGetChannelResponse": {
   "type": "structure",
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "channels": {
     "shape": "Channels"
    },
    "errors": {
     "shape": "BatchErrors"
    }
   }
  },
  "BatchGetStreamKeyRequest": {
   "type": "structure",
   "required": [
    "arns"
   ],
   "members": {
    "arns": {
     "shape": "StreamKeyArnList"
    }
   }
  },
  "BatchGetStreamKeyResponse": {
   "type": "structure",
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "streamKeys": {
     "shape": "StreamKeys"
    },
    "errors": {
     "shape": "BatchErrors"
    }
   }
  },
  "Boolean": {
   "type": "boolean"
  },
  "Channel": {
   "type": "structure",
   "members": {
    "arn": {
     "shape": "ChannelArn"
    },
    "name": {
     "shape": "ChannelName"
    },
    "latencyMode": {
     "shape": "ChannelLatencyMode"
    },
    "type": {
     "shape": "ChannelType"
    },
    "recordingConfigurationArn": {
     "shape": "ChannelRecordingConfigurationArn"
    },
    "ingestEndpoint": {
     "shape": "IngestEndpoint"
    },
    "playbackUrl": {
     "shape": "PlaybackURL"
    },
    "authorized": {
     "shape": "IsAuthorized"
    },
    "tags": {
     "shape": "Tags"
    },
    "insecureIngest": {
     "shape": "InsecureIngest"
    },
    "preset": {
     "shape": "TranscodePreset"
    },
    "srt": {
     "shape": "Srt"
    },
    "playbackRestrictionPolicyArn": {
     "shape": "ChannelPlaybackRestrictionPolicyArn"
    },
    "multitrackInputConfiguration": {
     "shape": "MultitrackInputConfiguration"
    },
    "containerFormat": {
     "shape": "ContainerFormat"
    },
    "adConfigurationArn": {
     "shape": "ChannelAdConfigurationArn"
    }
   }
  },
  "ChannelAdConfigurationArn": {
   "type": "string",
   "min": 0,
   "max": 128,
   "pattern": "^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:ad-configuration/[a-zA-Z0-9-]+$"
  },
  "ChannelArn": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "arn:aws:ivs:[a-z0-9-]+:[0-9]+:channel/[a-zA-Z0-9-]+"
  },
  "ChannelArnList": {
   "type": "list",
   "min": 1,
   "max": 50,
   "member": "ChannelArn"
  },
  "ChannelLatencyMode": {
   "type": "string",
   "enum": [
    "NORMAL",
    "LOW"
   ]
  },
  "ChannelList": {
   "type": "list",
   "member": "ChannelSummary"
  },
  "ChannelName": {
   "type": "string",
   "min": 0,
   "max": 128,
   "pattern": "[a-zA-Z0-9-_]*"
  },
  "ChannelPlaybackRestrictionPolicyArn": {
   "type": "string",
   "min": 0,
   "max": 128,
   "pattern": "^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:playback-restriction-policy/[a-zA-Z0-9-]+$"
  },
  "ChannelRecordingConfigurationArn": {
   "type": "string",
   "min": 0,
   "max": 128,
   "pattern": "^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:recording-configuration/[a-zA-Z0-9-]+$"
  },
  "ChannelSummary": {
   "type": "structure",
   "members": {
    "arn": {
     "shape": "ChannelArn"
    },
    "name": {
     "shape": "ChannelName"
    },
    "latencyMode": {
     "shape": "ChannelLatencyMode"
    },
    "authorized": {
     "shape": "IsAuthorized"
    },
    "recordingConfigurationArn": {
     "shape": "ChannelRecordingConfigurationArn"
    },
    "tags": {
     "shape": "Tags"
    },
    "insecureIngest": {
     "shape": "InsecureIngest"
    },
    "type": {
     "shape": "ChannelType"
    },
    "preset": {
     "shape": "TranscodePreset"
    },
    "playbackRestrictionPolicyArn": {
     "shape": "ChannelPlaybackRestrictionPolicyArn"
    },
    "adConfigurationArn": {
     "shape": "ChannelAdConfigurationArn"
    }
   }
  },
  "ChannelType": {
   "type": "string",
   "enum": [
    "BASIC",
    "STANDARD",
    "ADVANCED_SD",
    "ADVANCED_HD"
   ]
  },
  "Channels": {
   "type": "list",
   "member": "Channel"
  },
  "ConflictException": {
   "type": "structure",
   "exception": true,
   "status": 409,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "ContainerFormat": {
   "type": "string",
   "enum": [
    "TS",
    "FRAGMENTED_MP4"
   ]
  },
  "CreateChannelRequest": {
   "type": "structure",
   "members": {
    "name": {
     "shape": "ChannelName"
    },
    "latencyMode": {
     "shape": "ChannelLatencyMode"
    },
    "type": {
     "shape": "ChannelType"
    },
    "authorized": {
     "shape": "Boolean"
    },
    "recordingConfigurationArn": {
     "shape": "ChannelRecordingConfigurationArn"
    },
    "tags": {
     "shape": "Tags"
    },
    "insecureIngest": {
     "shape": "Boolean"
    },
    "preset": {
     "shape": "TranscodePreset"
    },
    "playbackRestrictionPolicyArn": {
     "shape": "ChannelPlaybackRestrictionPolicyArn"
    },
    "multitrackInputConfiguration": {
     "shape": "MultitrackInputConfiguration"
    },
    "containerFormat": {
     "shape": "ContainerFormat"
    },
    "adConfigurationArn": {
     "shape": "ChannelAdConfigurationArn"
    }
   }
  },
  "CreateChannelResponse": {
   "type": "structure",
   "members": {
    "channel": {
     "shape": "Channel"
    },
    "streamKey": {
     "shape": "StreamKey"
    }
   }
  },
  "CreateStreamKeyRequest": {
   "type": "structure",
   "required": [
    "channelArn"
   ],
   "members": {
    "channelArn": {
     "shape": "ChannelArn"
    },
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "CreateStreamKeyResponse": {
   "type": "structure",
   "members": {
    "streamKey": {
     "shape": "StreamKey"
    }
   }
  },
  "DeleteChannelRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "ChannelArn"
    }
   }
  },
  "DeleteStreamKeyRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StreamKeyArn"
    }
   }
  },
  "GetChannelRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "ChannelArn"
    }
   }
  },
  "GetChannelResponse": {
   "type": "structure",
   "members": {
    "channel": {
     "shape": "Channel"
    }
   }
  },
  "GetStreamKeyRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "StreamKeyArn"
    }
   }
  },
  "GetStreamKeyResponse": {
   "type": "structure",
   "members": {
    "streamKey": {
     "shape": "StreamKey"
    }
   }
  },
  "IngestEndpoint": {
   "type": "string"
  },
  "InsecureIngest": {
   "type": "boolean"
  },
  "InternalServerException": {
   "type": "structure",
   "exception": true,
   "fault": true,
   "status": 500,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "IsAuthorized": {
   "type": "boolean"
  },
  "IsMultitrackInputEnabled": {
   "type": "boolean"
  },
  "ListChannelsRequest": {
   "type": "structure",
   "members": {
    "filterByName": {
     "shape": "ChannelName"
    },
    "filterByRecordingConfigurationArn": {
     "shape": "ChannelRecordingConfigurationArn"
    },
    "filterByPlaybackRestrictionPolicyArn": {
     "shape": "ChannelPlaybackRestrictionPolicyArn"
    },
    "filterByAdConfigurationArn": {
     "shape": "ChannelAdConfigurationArn"
    },
    "nextToken": {
     "shape": "PaginationToken"
    },
    "maxResults": {
     "shape": "MaxChannelResults"
    }
   }
  },
  "ListChannelsResponse": {
   "type": "structure",
   "required": [
    "channels"
   ],
   "members": {
    "channels": {
     "shape": "ChannelList"
    },
    "nextToken": {
     "shape": "PaginationToken"
    }
   }
  },
  "ListStreamKeysRequest": {
   "type": "structure",
   "required": [
    "channelArn"
   ],
   "members": {
    "channelArn": {
     "shape": "ChannelArn"
    },
    "nextToken": {
     "shape": "PaginationToken"
    },
    "maxResults": {
     "shape": "MaxStreamKeyResults"
    }
   }
  },
  "ListStreamKeysResponse": {
   "type": "structure",
   "required": [
    "streamKeys"
   ],
   "members": {
    "streamKeys": {
     "shape": "StreamKeyList"
    },
    "nextToken": {
     "shape": "PaginationToken"
    }
   }
  },
  "ListTagsForResourceRequest": {
   "type": "structure",
   "required": [
    "resourceArn"
   ],
   "members": {
    "resourceArn": {
     "shape": "ResourceArn",
     "location": "uri",
     "locationName": "resourceArn"
    }
   }
  },
  "ListTagsForResourceResponse": {
   "type": "structure",
   "required": [
    "tags"
   ],
   "members": {
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "MaxChannelResults": {
   "type": "integer",
   "min": 1,
   "max": 100
  },
  "MaxStreamKeyResults": {
   "type": "integer",
   "min": 1,
   "max": 50
  },
  "MultitrackInputConfiguration": {
   "type": "structure",
   "members": {
    "enabled": {
     "shape": "IsMultitrackInputEnabled"
    },
    "policy": {
     "shape": "MultitrackPolicy"
    },
    "maximumResolution": {
     "shape": "MultitrackMaximumResolution"
    }
   }
  },
  "MultitrackMaximumResolution": {
   "type": "string",
   "enum": [
    "SD",
    "HD",
    "FULL_HD"
   ]
  },
  "MultitrackPolicy": {
   "type": "string",
   "enum": [
    "ALLOW",
    "REQUIRE"
   ]
  },
  "PaginationToken": {
   "type": "string",
   "min": 0,
   "max": 1024,
   "pattern": "[a-zA-Z0-9+/=_-]*"
  },
  "PendingVerification": {
   "type": "structure",
   "exception": true,
   "status": 403,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "PlaybackURL": {
   "type": "string"
  },
  "ResourceArn": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+"
  },
  "ResourceNotFoundException": {
   "type": "structure",
   "exception": true,
   "status": 404,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "ServiceQuotaExceededException": {
   "type": "structure",
   "exception": true,
   "status": 402,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "ServiceUnavailable": {
   "type": "structure",
   "exception": true,
   "fault": true,
   "status": 503,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "Srt": {
   "type": "structure",
   "members": {
    "endpoint": {
     "shape": "SrtEndpoint"
    },
    "passphrase": {
     "shape": "SrtPassphrase"
    }
   }
  },
  "SrtEndpoint": {
   "type": "string"
  },
  "SrtPassphrase": {
   "type": "string",
   "sensitive": true
  },
  "StreamKey": {
   "type": "structure",
   "members": {
    "arn": {
     "shape": "StreamKeyArn"
    },
    "value": {
     "shape": "StreamKeyValue"
    },
    "channelArn": {
     "shape": "ChannelArn"
    },
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "StreamKeyArn": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "arn:aws:ivs:[a-z0-9-]+:[0-9]+:stream-key/[a-zA-Z0-9-]+"
  },
  "StreamKeyArnList": {
   "type": "list",
   "min": 1,
   "max": 50,
   "member": "StreamKeyArn"
  },
  "StreamKeyList": {
   "type": "list",
   "member": "StreamKeySummary"
  },
  "StreamKeySummary": {
   "type": "structure",
   "members": {
    "arn": {
     "shape": "StreamKeyArn"
    },
    "channelArn": {
     "shape": "ChannelArn"
    },
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "StreamKeyValue": {
   "type": "string",
   "sensitive": true
  },
  "StreamKeys": {
   "type": "list",
   "member": "StreamKey"
  },
  "String": {
   "type": "string"
  },
  "TagKey": {
   "type": "string",
   "min": 1,
   "max": 128,
   "pattern": "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)"
  },
  "TagKeyList": {
   "type": "list",
   "min": 0,
   "max": 50,
   "member": "TagKey"
  },
  "TagResourceRequest": {
   "type": "structure",
   "required": [
    "resourceArn",
    "tags"
   ],
   "members": {
    "resourceArn": {
     "shape": "ResourceArn",
     "location": "uri",
     "locationName": "resourceArn"
    },
    "tags": {
     "shape": "Tags"
    }
   }
  },
  "TagResourceResponse": {
   "type": "structure",
   "members": {}
  },
  "TagValue": {
   "type": "string",
   "min": 0,
   "max": 256,
   "pattern": "([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)"
  },
  "Tags": {
   "type": "map",
   "min": 0,
   "max": 50,
   "key": "TagKey",
   "value": "TagValue"
  },
  "TranscodePreset": {
   "type": "string",
   "enum": [
    "HIGHER_BANDWIDTH_DELIVERY",
    "CONSTRAINED_BANDWIDTH_DELIVERY"
   ]
  },
  "UntagResourceRequest": {
   "type": "structure",
   "required": [
    "resourceArn",
    "tagKeys"
   ],
   "members": {
    "resourceArn": {
     "shape": "ResourceArn",
     "location": "uri",
     "locationName": "resourceArn"
    },
    "tagKeys": {
     "shape": "TagKeyList",
     "location": "querystring",
     "locationName": "tagKeys"
    }
   }
  },
  "UntagResourceResponse": {
   "type": "structure",
   "members": {}
  },
  "UpdateChannelRequest": {
   "type": "structure",
   "required": [
    "arn"
   ],
   "members": {
    "arn": {
     "shape": "ChannelArn"
    },
    "name": {
     "shape": "ChannelName"
    },
    "latencyMode": {
     "shape": "ChannelLatencyMode"
    },
    "type": {
     "shape": "ChannelType"
    },
    "authorized": {
     "shape": "Boolean"
    },
    "recordingConfigurationArn": {
     "shape": "ChannelRecordingConfigurationArn"
    },
    "insecureIngest": {
     "shape": "Boolean"
    },
    "preset": {
     "shape": "TranscodePreset"
    },
    "playbackRestrictionPolicyArn": {
     "shape": "ChannelPlaybackRestrictionPolicyArn"
    },
    "multitrackInputConfiguration": {
     "shape": "MultitrackInputConfiguration"
    },
    "containerFormat": {
     "shape": "ContainerFormat"
    },
    "adConfigurationArn": {
     "shape": "ChannelAdConfigurationArn"
    }
   }
  },
  "UpdateChannelResponse": {
   "type": "structure",
   "members": {
    "channel": {
     "shape": "Channel"
    }
   }
  },
  "ValidationException": {
   "type": "structure",
   "exception": true,
   "status": 400,
   "members": {
    "accessControlAllowOrigin": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Allow-Origin"
    },
    "accessControlExposeHeaders": {
     "shape": "String",
     "location": "header",
     "locationName": "Access-Control-Expose-Headers"
    },
    "cacheControl": {
     "shape": "String",
     "location": "header",
     "locationName": "Cache-Control"
    },
    "contentSecurityPolicy": {
     "shape": "String",
     "location": "header",
     "locationName": "Content-Security-Policy"
    },
    "strictTransportSecurity": {
     "shape": "String",
     "location": "header",
     "locationName": "Strict-Transport-Security"
    },
    "xContentTypeOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Content-Type-Options"
    },
    "xFrameOptions": {
     "shape": "String",
     "location": "header",
     "locationName": "X-Frame-Options"
    },
    "xAmznErrorType": {
     "shape": "String",
     "location": "header",
     "locationName": "x-amzn-ErrorType"
    },
    "exceptionMessage": {
     "shape": "errorMessage"
    }
   }
  },
  "errorCode": {
   "type": "string"
  },
  "errorMessage": {
   "type": "string"
  }
 }
};
